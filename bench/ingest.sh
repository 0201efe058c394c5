#!/usr/bin/env bash
# Ingest benchmark: signed Telegram deliveries into POST /hooks/telegram/<integration_id> with wrk
# (bench/ingest.lua), at 16 and 64 connections, with 0% and 30% repeated update_ids, on SQLite
# (WAL, synchronous=FULL, the server's defaults) and on a durable PostgreSQL 15 (fsync on, default
# synchronous_commit=on). Every 200 means the delivery and its reply job are committed.
#
# First, the machine's reference: build/noop_server (bench/reference), the least a Beast server
# does per request, measured with the same wrk; each row's "× no-op" is its rate over that one's.
# Each database gets one fresh server (`serve --workers 0`, so no reply work competes with ingest;
# `--queue-bound 1000000000`, so the backlog the run builds never turns deliveries into 503s; other
# settings default, `info` access log to a file), set up through the API by bench/lib/setup.mjs
# against build/fake_platforms. The same server's GET /healthz is measured first, and each ingest
# rate is given as a ratio to it. Also printed: jobs actually stored, deliveries per group commit,
# CPU used during the run (as % of one core: the server, PostgreSQL, wrk, the fake, and everything
# else — the machine has 2 cores, and other work may be running), and the server's memory after the run
# (VmRSS) and its peak so far (VmHWM; the setup's one sign-up hashes a password with Argon2id, whose
# 64 MiB show in the peak from the start).
# On PostgreSQL, the same PostgreSQL then runs bench/reference/pg_one_tx.sh (pgbench, one
# transaction per webhook, 32 and 64 clients), and a last table gives ours / reference for the rate
# and p99 (issue 22's targets). BENCH_PG_STATEMENTS=1 loads pg_stat_statements and prints the
# statements that took PostgreSQL's time during the 64-connection run.
# BENCH_QUIET=<percent of a core> waits (up to BENCH_QUIET_WAIT s) before each run until the machine
# uses less than that (see bench/lib/common.sh).
#
# Usage: bench/ingest.sh [seconds per run, default 10]
# Environment: WRK_THREADS (default 1), DATABASES ("sqlite postgres"), SB_BIN, FAKE_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
wrk_threads="${WRK_THREADS:-1}"
databases="${DATABASES:-sqlite postgres}"
source bench/lib/common.sh
bench_scratch sb-bench-ingest

start_fake

# start_server DATABASE_URL ("" for SQLite): fresh data folder, set up through the API.
start_server() { start_switchboard "$1" 1 --workers 0 --queue-bound 1000000000; }

jobs_total() { curl -fs -H "Cookie: $cookie" "$base/api/jobs?limit=1" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).total))"; }

run_no=0
# measure DB LABEL CONNS DUP URL [wrk args…] → one table row; healthz rows set healthz_rps[CONNS].
declare -A healthz_rps noop_rps ingest_fig
notes=()
measure() {
  local db="$1" label="$2" conns="$3" dup="$4" url="$5"; shift 5
  run_no=$((run_no + 1))
  local jobs0 units0 batches0
  jobs0=$(jobs_total)
  units0=$(metric "$base" switchboard_ingest_units_total); batches0=$(metric "$base" switchboard_ingest_batches_total)
  wait_quiet
  cpu_mark
  thread_cpu "$server_pid" >"$work/threads0"
  INGEST_TARGETS="$work/targets" INGEST_BASE=$((run_no * 100000000000)) INGEST_DUP="$dup" \
    timed_wrk "$work/wrk.out" "$work/wrk.time" -t"$wrk_threads" -c"$conns" -d"${secs}s" --latency "$@" "$url"
  thread_cpu "$server_pid" >"$work/threads1"
  local cpu; cpu=$(cpu_columns "$work/wrk.time")
  local rps p50 p99 non2xx n
  read -r rps p50 p99 non2xx n <<<"$(wrk_fields "$(cat "$work/wrk.out")")"
  if [ "$conns" = 64 ]; then
    notes+=("$db, $label, $conns connections, repeats $dup: server CPU per request by thread: $(thread_cpu_per "$work/threads0" "$work/threads1" "$n")")
  fi
  local stored="—" ratio="1.00" per_commit="—" request="GET /healthz" repeats="—"
  local noop_ratio; noop_ratio=$(awk -v a="$rps" -v b="${noop_rps[$conns]}" 'BEGIN { printf "%.2f", a / b }')
  if [ "$label" = healthz ]; then
    healthz_rps[$conns]="$rps"
  else
    request="POST /hooks/telegram"
    repeats="$(awk -v d="$dup" 'BEGIN { printf "%d%%", d * 100 }')"
    stored=$(( $(jobs_total) - jobs0 ))
    ratio=$(awk -v a="$rps" -v b="${healthz_rps[$conns]}" 'BEGIN { printf "%.2f", a / b }')
    local units1 batches1
    units1=$(metric "$base" switchboard_ingest_units_total); batches1=$(metric "$base" switchboard_ingest_batches_total)
    per_commit=$(awk -v u=$((units1 - units0)) -v b=$((batches1 - batches0)) 'BEGIN { printf "%.0f", b ? u / b : 0 }')
  fi
  [ "$label" = ingest ] && [ "$dup" = 0 ] && ingest_fig[$db/$conns]="$rps $p99"
  echo "| $db | \`$request\` | $repeats | $conns | $rps | $ratio | $noop_ratio | $p50 | $p99 | $non2xx | $stored | $per_commit | $cpu | $(rss_mib "$server_pid") / $(peak_rss_mib "$server_pid") MiB |"
}

machine_line
echo "${secs}s per run; wrk -t$wrk_threads; server: serve --workers 0 --queue-bound 1000000000, other settings default"
echo
echo "| database | request | repeats | connections | requests/s | × /healthz | × no-op | p50 ms | p99 ms | non-2xx | jobs stored | deliveries per commit | server CPU | PostgreSQL CPU | wrk CPU | fake CPU | other CPU | server RSS now / peak |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
# The reference: no database, no server of ours.
"$NOOP_BIN" 0 1 >"$work/noop.url" 2>"$work/noop.log" &
noop_pid=$!
pids+=("$noop_pid")
noop_url=$(started_url noop) || exit 1
for c in 16 64; do
  wait_quiet
  server_pid=$noop_pid pg_dir="" cpu_mark
  timed_wrk "$work/wrk.out" "$work/wrk.time" -t"$wrk_threads" -c"$c" -d"${secs}s" --latency "$noop_url/healthz"
  cpu=$(server_pid=$noop_pid pg_dir="" cpu_columns "$work/wrk.time")
  read -r rps p50 p99 non2xx n <<<"$(wrk_fields "$(cat "$work/wrk.out")")"
  noop_rps[$c]="$rps"
  echo "| — | no-op Beast server (\`bench/reference\`) | — | $c | $rps | — | 1.00 | $p50 | $p99 | $non2xx | — | — | $cpu | $(rss_mib "$noop_pid") / $(peak_rss_mib "$noop_pid") MiB |"
done
kill "$noop_pid"; wait "$noop_pid" 2>/dev/null || true
for db in $databases; do
  url=""
  if [ "$db" = postgres ]; then
    pg_dir=$(mktemp -d /tmp/sb-bench-pg-XXXXXX)
    url=$(pg_durable_start "$pg_dir")
    settings="fsync=$(pg_setting "$url" fsync), synchronous_commit=$(pg_setting "$url" synchronous_commit)"
  fi
  start_server "$url"
  [ "$db" = sqlite ] && settings="journal_mode=$(sqlite3 "$work"/data-*/switchboard.db 'PRAGMA journal_mode' 2>/dev/null | tail -1); the ingest writer commits with synchronous=NORMAL and fdatasyncs the WAL on its own thread before answering, other connections synchronous=FULL"
  for c in 16 64; do measure "$db" healthz "$c" 0 "$base/healthz"; done
  for c in 16 64; do
    for dup in 0 0.3; do
      [ "$db" = postgres ] && pg_reset_statements "$url"
      measure "$db" ingest "$c" "$dup" "$base" -s bench/ingest.lua
      if [ "$db" = postgres ] && [ "$c" = 64 ] && [ "$dup" = 0 ]; then pg_top_statements "$url" >"$work/top-ingest"; fi
    done
  done
  errors=$(grep -c '"level":"error"' "$server_log" || true)
  warnings=$(grep -c '"level":"warn"' "$server_log" || true)
  notes+=("$db ($settings): RSS at the end $(rss_mib "$server_pid") MiB, peak $(peak_rss_mib "$server_pid") MiB; server log: $errors errors, $warnings warnings")
  grep -h '"level":"\(error\|warn\)"' "$server_log" | cut -c1-300 | sort | uniq -c | sort -rn | head -5 >&2 || true
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  if [ "$db" = postgres ]; then
    # The reference on the same PostgreSQL, right after our runs: one transaction per webhook.
    wait_quiet
    bench/reference/pg_one_tx.sh "$secs" "$url" >"$work/ref.out"
  fi
  if [ -n "$url" ]; then pg_durable_stop "$pg_dir"; pg_dir=""; fi
done
if [ -s "$work/ref.out" ]; then
  echo
  echo "PostgreSQL reference (\`bench/reference/pg_one_tx.sh\`: pgbench, one transaction per webhook, same PostgreSQL, no HTTP) and ours / reference:"
  echo
  echo "| clients | reference tx/s | reference p50 ms | reference p99 ms | ours requests/s (0% repeats) | ours p99 ms | rate ours / reference | p99 ours / reference |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  while read -r c tps p50 p99 n bad; do
    read -r ours ours_p99 <<<"${ingest_fig[postgres/$c]:-— —}"
    ratios=$(awk -v a="$ours" -v b="$tps" -v x="$ours_p99" -v y="$p99" \
      'BEGIN { if (a == "—") print "— | —"; else printf "%.2f | %.2f\n", a / b, x / y }')
    echo "| $c | $tps | $p50 | $p99 | $ours | $ours_p99 | $ratios |"
  done <"$work/ref.out"
  echo
  echo "Targets (issue 22): at 64 connections, rate ≥ 1.5× the reference's, p99 ≤ 2× its p99."
fi
if [ -s "$work/top-ingest" ]; then
  echo
  echo "PostgreSQL's statements during ingest at 64 connections, 0% repeats (pg_stat_statements: total ms | calls | µs per call | rows per call | statement):"
  echo
  sed 's/^/    /' "$work/top-ingest"
fi
echo
for n in "${notes[@]}"; do echo "- $n"; done
