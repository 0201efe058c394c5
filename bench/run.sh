#!/usr/bin/env bash
# Baseline load test: /healthz and an authenticated GET /api/auth/session at 16 and 64 connections,
# on SQLite and on PostgreSQL, with wrk on this machine. Prints a Markdown table.
# Usage: bench/run.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
work=$(mktemp -d /tmp/sb-bench-XXXXXX)
pg_dir=$(mktemp -d /tmp/sb-bench-pg-XXXXXX)  # its own folder: the postgres user must own it
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  scripts/postgres.sh stop "$pg_dir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

start_server() {  # $1: database url ("" for SQLite)
  local port; port=$(free_port)
  local args=(serve --listen "127.0.0.1:$port" --data-dir "$work/data-$port")
  [ -n "$1" ] && args+=(--database-url "$1")
  build/switchboard "${args[@]}" >"$work/server.out" 2>"$work/server-$port.log" &
  server_pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
  cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark password","name":"Bench"}' "$base/api/auth/signup" |
    grep -i '^set-cookie: sb_session=' | sed -E 's/^[Ss]et-[Cc]ookie: (sb_session=[^;]+).*/\1/')
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# One wrk run → "| db | path | conns | req/s | p50 | p99 |"
measure() {
  local db="$1" path="$2" conns="$3"; shift 3
  local out; out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency "$@" "$base$path")
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "| $db | \`GET $path\` | $conns | $rps | $p50 | $p99 | ${non2xx:-0} |"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); ${secs}s per run; wrk -t1"
echo
echo "| database | request | connections | requests/s | p50 | p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for db in sqlite postgres; do
  url=""
  if [ "$db" = postgres ]; then url=$(scripts/postgres.sh start "$pg_dir"); fi
  start_server "$url"
  for c in 16 64; do measure "$db" /healthz "$c"; done
  for c in 16 64; do measure "$db" /api/auth/session "$c" -H "Cookie: $cookie"; done
  stop_server
done
