#!/usr/bin/env bash
# What the message search index costs the message path, and search latency, on SQLite and on a
# throwaway PostgreSQL: build/message_search_bench against a fresh database of each.
# Usage: bench/search.sh [messages to store first, default 100000]   (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
work=$(mktemp -d /tmp/sb-search-XXXXXX)
pg_dir=$(mktemp -d /tmp/sb-search-pg-XXXXXX)  # its own folder: the postgres user must own it
cleanup() {
  scripts/postgres.sh stop "$pg_dir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

[ -x build/message_search_bench ] || { echo "build/message_search_bench is missing: run make build" >&2; exit 1; }
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); $count messages"
echo
echo "## SQLite (file in $(df --output=fstype "$work" | tail -1), WAL, synchronous=FULL)"
build/message_search_bench "sqlite://$work/search.db" "$count" 2>"$work/sqlite.log"
echo
echo "## PostgreSQL 15 (scripts/postgres.sh: fsync=off)"
url=$(scripts/postgres.sh start "$pg_dir")
build/message_search_bench "$url" "$count" 2>"$work/postgres.log"
