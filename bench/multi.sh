#!/usr/bin/env bash
# Many processes on one PostgreSQL (issue 22, ADR 0039): ingest and end-to-end throughput with 1, 2
# and 4 `switchboard serve` processes (each with embedded workers) on one durable PostgreSQL, behind
# a tiny round-robin proxy of our own (bench/lib/round_robin.mjs), answering Telegram through the
# fake platform. Each process count gets a fresh database.
#
# Per run: wrk -c$MULTI_CONNECTIONS sends signed deliveries through the proxy for the given seconds
# (saturated); then the backlog drains. Printed: deliveries/s accepted with p99, replies/s from the
# start of the load until the last reply, and the counts that must agree — deliveries acknowledged
# (2xx at wrk) ≤ events stored ≤ requests wrk counted + its connections (wrk stops with requests in flight whose commit
# may land), jobs = events, replies at the fake = jobs succeeded = jobs (nothing lost, nothing sent twice).
# On 2 cores this shows contention, not scaling: the point is that throughput holds and nothing is lost.
#
# Usage: bench/multi.sh [seconds per run, default 10]
# Environment: PROCESSES ("1 2 4"; "2+2" means 2 serve and 2 worker processes, reply workers split over all), MULTI_WORKERS (8: reply workers in all, split between the
# processes, at least 2 each), MULTI_CONNECTIONS (64), E2E_INTEGRATIONS (200), SB_BIN, FAKE_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
processes="${PROCESSES:-1 2 4}"
workers_total="${MULTI_WORKERS:-8}"
conns="${MULTI_CONNECTIONS:-64}"
integrations="${E2E_INTEGRATIONS:-200}"
source bench/lib/common.sh
bench_scratch sb-bench-multi

start_fake --inline
sent() { node bench/lib/jobs.mjs sent "$fake_root"; }
now() { date +%s.%N; }
pg_dir=$(mktemp -d /tmp/sb-bench-pg-XXXXXX)
pg_url=$(pg_durable_start "$pg_dir")
count() { psql "$db_url" -Atc "$1"; }

run() {  # PROCESSES: N serve processes, or "N+M": N serve and M `switchboard worker` processes
  local spec="$1" p="${1%%+*}" m=0
  [[ "$spec" == *+* ]] && m="${spec#*+}"
  local w=$(( (workers_total + p + m - 1) / (p + m) ))
  [ "$w" -lt 2 ] && w=2
  psql "$pg_url" -qc "CREATE DATABASE multi_${p}_$m" >/dev/null
  db_url="${pg_url%/*}/multi_${p}_$m"
  curl -fs -X POST "$fake_root/_control/reset" >/dev/null
  # The first process migrates and is set up through the API; the others share its data folder
  # (its master key: every process must open the credentials the first one sealed).
  start_switchboard "$db_url" "$integrations" --workers "$w"
  local first_base="$base" data_dir="$work/data-${base##*:}" upstreams=("$base") procs=("$server_pid")
  for i in $(seq 2 "$p"); do
    local port; port=$(free_port)
    env -u OPENROUTER_API_KEY SWITCHBOARD_TELEGRAM_API_BASE="$fake_root/telegram" \
      "$SB_BIN" serve --listen "127.0.0.1:$port" --data-dir "$data_dir" --database-url "$db_url" --workers "$w" \
      >/dev/null 2>"$work/server-$port.log" &
    pids+=("$!"); procs+=("$!")
    wait_healthy "http://127.0.0.1:$port"
    upstreams+=("http://127.0.0.1:$port")
  done
  for i in $(seq 1 "$m"); do
    env -u OPENROUTER_API_KEY SWITCHBOARD_TELEGRAM_API_BASE="$fake_root/telegram" \
      "$SB_BIN" worker --data-dir "$data_dir" --database-url "$db_url" --workers "$w" \
      >/dev/null 2>"$work/server-worker-$i.log" &
    pids+=("$!"); procs+=("$!")
  done
  local proxy_port; proxy_port=$(free_port)
  node bench/lib/round_robin.mjs "$proxy_port" "${upstreams[@]}" >"$work/proxy.url" &
  local proxy_pid=$!
  pids+=("$proxy_pid")
  local proxy; proxy=$(started_url proxy)
  # Statistics for the planner, as a server that has been up has them (see bench/e2e.sh).
  INGEST_TARGETS="$work/targets" INGEST_BASE=3000000000 INGEST_DUP=0 wrk -t1 -c"$conns" -d1s -s bench/ingest.lua "$proxy" >/dev/null
  psql "$db_url" -qc ANALYZE
  for _ in $(seq 600); do [ "$(count "SELECT COUNT(*) FROM message_jobs WHERE state IN ('queued','processing','failed')")" = 0 ] && break; sleep 0.2; done
  local e0 s0 t0 t1 t2 holder
  e0=$(count "SELECT COUNT(*) FROM webhook_events"); s0=$(sent); t0=$(now)
  INGEST_TARGETS="$work/targets" INGEST_BASE=1000000000 INGEST_DUP=0 \
    wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/ingest.lua "$proxy" >"$work/wrk.out" 2>>"$work/wrk.err"
  t1=$(now)
  local rps p50 p99 non2xx n
  read -r rps p50 p99 non2xx n <<<"$(wrk_fields "$(cat "$work/wrk.out")")"
  local pending=1
  for _ in $(seq 1500); do
    pending=$(count "SELECT COUNT(*) FROM message_jobs WHERE state IN ('queued','processing','failed')")
    [ "$pending" = 0 ] && break
    sleep 0.2
  done
  t2=$(now)
  local events jobs ok s1 replies acked
  events=$(( $(count "SELECT COUNT(*) FROM webhook_events") - e0 ))
  jobs=$(( $(count "SELECT COUNT(*) FROM message_jobs") - e0 ))
  ok=$(( $(count "SELECT COUNT(*) FROM message_jobs WHERE state = 'succeeded'") - e0 ))
  s1=$(sent); replies=$((s1 - s0)); acked=$((n - non2xx))
  holder=$(count "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 21314 AND l.objid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")
  local e2e; e2e=$(awk -v r="$replies" -v a="$t0" -v b="$t2" 'BEGIN { printf "%.0f", r / (b - a) }')
  local verdict=ok
  [ "$events" -ge "$acked" ] && [ "$events" -le $((n + conns)) ] || verdict="LOST OR EXTRA EVENTS"
  [ "$jobs" = "$events" ] || verdict="jobs ≠ events"
  [ "$replies" = "$ok" ] && [ "$ok" = "$jobs" ] || verdict="replies ≠ jobs (pending $pending)"
  echo "| $spec | $w | $rps | $p50 / $p99 | $non2xx | $e2e | $acked | $events | $jobs | $replies | $verdict | $holder | $(uptime | sed 's/.*load average: //') |"
  kill "$proxy_pid" "${procs[@]}" 2>/dev/null || true
  wait "$proxy_pid" "${procs[@]}" 2>/dev/null || true
  for f in "$work"/server-*.log; do
    local bad; bad=$(grep -c '"level":"error"' "$f" || true)
    [ "$bad" = 0 ] || notes+=("$spec processes: $(basename "$f") has $bad errors")
    rm -f "$f"
  done
}

notes=()
machine_line
echo "${secs}s of saturated load per run (wrk -c$conns through the round-robin proxy); $integrations Telegram integrations; replies from a template; the fake answers at once; $workers_total reply workers in all"
echo
echo "| serve (+ worker) processes | reply workers each | deliveries/s accepted | p50 / p99 ms | non-2xx | replies/s, load start → last reply | acknowledged | events | jobs | replies at the fake | check | singleton holder | load (1/5/15 min) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for p in $processes; do run "$p"; done
echo
for n in "${notes[@]}"; do echo "- $n"; done
