#!/usr/bin/env bash
# Starts, stops and reports the development/test database. Chosen in this order:
#   1. MONGODB_URI if set (production: MongoDB 6+ or Atlas)  -> nothing to start
#   2. a `mongod` on PATH, on a free loopback port with a temporary dbpath
#   3. FerretDB 1.24.2 (SQLite backend), built once from the Go module proxy and cached
#
# usage: scripts/db.sh start|stop|status|url [--dir DIR] [--port PORT]
#   DIR   where this instance keeps its data, state, pid and url (default: data/db)
#   start prints the connection URI on stdout (and nothing else on stdout).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FERRET_VERSION="v1.24.2"
CACHE="${STEWARD_CACHE_DIR:-$ROOT/.cache}"
FERRET_BIN="$CACHE/bin/ferretdb-$FERRET_VERSION"

cmd="${1:-}"; shift || true
DIR="$ROOT/data/db"; PORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "db.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

log() { echo "db.sh: $*" >&2; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

port_open() {
  node -e "const s=require('net').connect($1,'127.0.0.1');s.on('connect',()=>{s.end();process.exit(0)});s.on('error',()=>process.exit(1))"
}

running() { [ -f "$DIR/db.pid" ] && kill -0 "$(cat "$DIR/db.pid")" 2>/dev/null; }

# `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start: the module
# zip lacks the generated build/version/version.txt. So we build the same module source
# (fetched through the Go module proxy) with that one file written in.
build_ferretdb() {
  command -v go >/dev/null 2>&1 || {
    echo "db.sh: no database available: set MONGODB_URI, put mongod on PATH, or install Go (>= 1.22) so FerretDB can be built" >&2
    exit 1
  }
  log "building FerretDB $FERRET_VERSION once (cached in $CACHE/bin) ..."
  mkdir -p "$CACHE/bin"
  local src
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRET_VERSION" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})")"
  local work="$CACHE/ferretdb-src-$FERRET_VERSION"
  rm -rf "$work"; cp -r "$src" "$work"; chmod -R u+w "$work"
  echo "$FERRET_VERSION" > "$work/build/version/version.txt"
  (cd "$work" && GOFLAGS=-mod=mod go build -o "$FERRET_BIN.tmp" ./cmd/ferretdb) >&2
  mv "$FERRET_BIN.tmp" "$FERRET_BIN"
  rm -rf "$work"
}

wait_port() {
  for _ in $(seq 1 150); do
    if port_open "$1"; then return 0; fi
    if ! running; then log "database process exited; see $DIR/db.log"; tail -20 "$DIR/db.log" >&2 || true; return 1; fi
    sleep 0.1
  done
  log "database did not open port $1 within 15 s; see $DIR/db.log"; return 1
}

start() {
  if [ -n "${MONGODB_URI:-}" ]; then echo "$MONGODB_URI"; return 0; fi
  if running && [ -f "$DIR/db.url" ]; then cat "$DIR/db.url"; return 0; fi
  [ -n "$PORT" ] || PORT="$(free_port)"
  if command -v mongod >/dev/null 2>&1; then
    mkdir -p "$DIR/mongod"
    mongod --bind_ip 127.0.0.1 --port "$PORT" --dbpath "$DIR/mongod" >"$DIR/db.log" 2>&1 &
    echo $! > "$DIR/db.pid"; echo mongod > "$DIR/db.kind"
  else
    [ -x "$FERRET_BIN" ] || build_ferretdb
    local dport; dport="$(free_port)"
    mkdir -p "$DIR/sqlite" "$DIR/state"
    "$FERRET_BIN" --handler=sqlite --sqlite-url="file:$DIR/sqlite/" \
      --listen-addr="127.0.0.1:$PORT" --debug-addr="127.0.0.1:$dport" \
      --state-dir="$DIR/state" --telemetry=disable --log-level=warn >"$DIR/db.log" 2>&1 &
    echo $! > "$DIR/db.pid"; echo ferretdb > "$DIR/db.kind"
  fi
  wait_port "$PORT"
  echo "mongodb://127.0.0.1:$PORT" > "$DIR/db.url"
  cat "$DIR/db.url"
}

stop() {
  if running; then
    local pid; pid="$(cat "$DIR/db.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/db.pid"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) if [ -n "${MONGODB_URI:-}" ]; then echo "external ($MONGODB_URI)"; elif running; then echo "running $(cat "$DIR/db.kind") $(cat "$DIR/db.url")"; else echo "stopped"; exit 1; fi ;;
  url) if [ -n "${MONGODB_URI:-}" ]; then echo "$MONGODB_URI"; elif running; then cat "$DIR/db.url"; else echo "db.sh: not running" >&2; exit 1; fi ;;
  *) echo "usage: scripts/db.sh start|stop|status|url [--dir DIR] [--port PORT]" >&2; exit 2 ;;
esac
