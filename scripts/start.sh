#!/usr/bin/env bash
# `npm start`: Steward on this machine, from a fresh clone, with no configuration.
#   1. installs dependencies if node_modules is missing (npm ci)
#   2. starts the local database (scripts/db.sh; data under data/db) unless MONGODB_URI is set
#   3. runs Steward in the foreground (tsx src/main.ts); Ctrl-C stops Steward
# The database keeps running after Ctrl-C so the next start is instant: `npm run db stop` stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "start: installing dependencies (npm ci) ..."
  npm ci
fi

if [ -z "${MONGODB_URI:-}" ]; then
  echo "start: starting the local database (the first run builds it once, which can take a few minutes) ..."
  # Its own session, so Ctrl-C on Steward does not reach the database.
  if command -v setsid >/dev/null 2>&1; then
    MONGODB_URI="$(setsid -w bash scripts/db.sh start)"
  else
    MONGODB_URI="$(bash scripts/db.sh start)"
  fi
  export MONGODB_URI
  db_note="local database at $MONGODB_URI (data in data/db; stop it with: npm run db stop)"
else
  db_note="database from MONGODB_URI"
fi

port="${PORT:-3000}"
cat <<MSG

  Steward is starting: $db_note
  When it logs "listening", open:
    web console   http://127.0.0.1:$port/console
    health        http://127.0.0.1:$port/readyz
  Ctrl-C stops Steward; the database keeps running (npm run db stop).

MSG

export NODE_ENV="${NODE_ENV:-development}"
exec node_modules/.bin/tsx src/main.ts
