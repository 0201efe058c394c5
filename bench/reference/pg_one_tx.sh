#!/usr/bin/env bash
# The PostgreSQL reference for ingest (issue 22): what a plain implementation gets from this
# PostgreSQL with one transaction per webhook and no HTTP at all. pgbench runs pg_one_tx.sql (the
# event row and its job row, INSERT … ON CONFLICT DO NOTHING each, BEGIN … COMMIT) with 32 and 64
# clients, prepared statements, one pgbench thread (like wrk -t1), into Switchboard's own tables
# in a database of their own made by `switchboard migrate`.
#
# Usage: bench/reference/pg_one_tx.sh [seconds per run, default 10] [POSTGRES_URL]
#   With a URL: uses that server (bench/ingest.sh passes the one its own runs use) and creates the
#   database pg_one_tx_<n> in it. Without: starts a throwaway durable PostgreSQL 15 the way
#   bench/ does (bench/lib/common.sh: fsync on, synchronous_commit on).
# Environment: REF_CLIENTS ("32 64"), SB_BIN.
# Output, one line per client count: "clients rate p50_ms p99_ms transactions failed", and nothing else on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
url="${2:-}"
source bench/lib/common.sh
bench_scratch sb-bench-ref
if [ -z "$url" ]; then
  pg_dir=$(mktemp -d /tmp/sb-bench-pg-XXXXXX)
  url=$(pg_durable_start "$pg_dir")
fi
db="pg_one_tx_$$_$RANDOM"
psql "$url" -qc "CREATE DATABASE $db" >/dev/null
db_url="${url%/*}/$db"
"$SB_BIN" migrate --data-dir "$work/data" --database-url "$db_url" >/dev/null 2>&1
# The organisation and integration the rows belong to (their foreign keys are checked, as ours are).
psql "$db_url" -q >/dev/null <<'SQL'
INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('org_ref', 'Reference', 0, 0);
INSERT INTO integrations (id, org_id, platform, name, credentials_sealed, credentials_key_id, status, status_reason,
                          created_at, updated_at)
VALUES ('int_ref', 'org_ref', 'telegram', 'Reference', '-', '-', 'connected', '', 0, 0);
SQL
for c in ${REF_CLIENTS:-32 64}; do
  rm -f "$work"/pgbench_log.*
  psql "$db_url" -qc "CHECKPOINT" >/dev/null 2>&1 || true
  (cd "$work" && pgbench -n -M prepared -c "$c" -j 1 -T "$secs" -l -f "$OLDPWD/bench/reference/pg_one_tx.sql" "$db_url" \
    >"$work/pgbench.out" 2>"$work/pgbench.err") || { cat "$work/pgbench.err" >&2; exit 1; }
  # Per-transaction log: "client tx latency_us script_no epoch us" (failed transactions: "failed").
  tps=$(awk '/^tps = / { print $3 }' "$work/pgbench.out")
  bad=$(cat "$work"/pgbench_log.* | awk '$3 !~ /^[0-9]+$/' | wc -l)
  cat "$work"/pgbench_log.* | awk '$3 ~ /^[0-9]+$/ { print $3 }' | sort -n >"$work/lat"
  n=$(wc -l <"$work/lat")
  p50=$(sed -n "$((n / 2 + 1))p" "$work/lat"); p99=$(sed -n "$((n * 99 / 100 + 1))p" "$work/lat")
  awk -v c="$c" -v tps="$tps" -v a="$p50" -v b="$p99" -v n="$n" -v bad="$bad" \
    'BEGIN { printf "%s %.0f %.2f %.2f %d %d\n", c, tps, a / 1000, b / 1000, n, bad }'
done
