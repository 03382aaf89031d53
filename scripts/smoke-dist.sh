#!/usr/bin/env bash
# The built dist/, as the image runs it: `npm run build`, then `node dist/main.js` in
# production mode against a database of its own (scripts/db.sh in a temporary directory, or
# MONGODB_URI), until GET /readyz answers 200; then GET /healthz and /privacy, then SIGTERM,
# which must end the process with exit code 0 within its grace period.
#
# usage: scripts/smoke-dist.sh [--no-build]     (npm run smoke:dist)
# Prints "smoke-dist: ok" last on success; on failure says what failed and shows the log tail.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp="$(mktemp -d)"
pid=""
db_started=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  if [ -n "$db_started" ]; then bash scripts/db.sh stop --dir "$tmp/db" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "smoke-dist: FAILED: $*" >&2
  if [ -f "$tmp/steward.log" ]; then echo "--- last lines of node dist/main.js ---" >&2; tail -30 "$tmp/steward.log" >&2; fi
  exit 1
}

if [ "${1:-}" != "--no-build" ]; then
  echo "smoke-dist: npm run build" >&2
  npm run build --silent >&2 || fail "npm run build"
fi
[ -f dist/main.js ] || fail "dist/main.js is missing after the build"

uri="${MONGODB_URI:-}"
if [ -z "$uri" ]; then
  uri="$(bash scripts/db.sh start --dir "$tmp/db")" || fail "could not start a database (scripts/db.sh)"
  db_started=1
fi

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
base="http://127.0.0.1:$port"

# Production: every check of loadConfig applies; nothing but the database is configured.
env -i PATH="$PATH" HOME="$tmp" \
  NODE_ENV=production HOST=127.0.0.1 PORT="$port" PUBLIC_URL="https://steward.example.com" \
  MONGODB_URI="$uri" MONGODB_DB="smoke_$$" \
  AUDIT_SIGNING_KEY="$(node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")" \
  CONSOLE_ENABLED=false SHUTDOWN_GRACE_SECONDS=10 LOG_LEVEL=info \
  node dist/main.js >"$tmp/steward.log" 2>&1 &
pid=$!

status() { node -e "fetch(process.argv[1]).then(r=>{console.log(r.status)},()=>{console.log(0)})" "$1"; }

ready=""
for _ in $(seq 1 180); do
  kill -0 "$pid" 2>/dev/null || fail "node dist/main.js exited before it was ready"
  if [ "$(status "$base/readyz")" = "200" ]; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || fail "GET /readyz did not answer 200 within 90 s"
echo "smoke-dist: GET /readyz 200" >&2

[ "$(status "$base/healthz")" = "200" ] || fail "GET /healthz did not answer 200"
[ "$(status "$base/privacy")" = "200" ] || fail "GET /privacy did not answer 200"

kill -TERM "$pid"
code=""
for _ in $(seq 1 150); do
  if ! kill -0 "$pid" 2>/dev/null; then
    set +e; wait "$pid"; code=$?; set -e
    break
  fi
  sleep 0.1
done
[ -n "$code" ] || fail "still running 15 s after SIGTERM (SHUTDOWN_GRACE_SECONDS=10)"
pid=""
[ "$code" = "0" ] || fail "exit code $code after SIGTERM (expected 0)"
echo "smoke-dist: ok"
