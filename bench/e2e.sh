#!/usr/bin/env bash
# End-to-end benchmark: signed Telegram deliveries → stored jobs → workers reply from a template
# (no OPENROUTER_API_KEY) → sendMessage at build/fake_platforms, where the replies are counted.
#
# Per database and worker count, each run on a fresh server (`serve --workers N`, other settings
# default) and a fresh database:
#  - saturated: wrk -c$E2E_CONNECTIONS (128) sends deliveries as fast as it can. Replies are counted at the fake from
#    2 s in to the end of the load ("during the load"), then for as long again after it stopped
#    ("workers alone": the drain rate with the backlog the load left, no ingest competing).
#  - paced, at each rate of $E2E_RATES: wrk -c$E2E_CONNECTIONS with random pauses (bench/ingest.lua) offers
#    about that many deliveries per second as a Poisson stream. Replies per second are counted over
#    the load's window; then the backlog is drained, and the time from receipt to reply
#    (latency_ms of GET /api/jobs/export, the newest 10,000 jobs) gives p50/p99. A rate is
#    sustained when replies keep up with deliveries and nothing is left to drain.
# The rate-limit route for integrations may not exist yet: the load is spread round-robin over
# $E2E_INTEGRATIONS Telegram integrations (default 200; Telegram's default 30/s per bot → 6,000/s
# in all) and every message comes from its own chat (60/min per chat never binds). The output
# says which limits applied, and how many jobs the limiter put back in the queue.
# The fake answers on its I/O thread (`fake_platforms --inline`) unless E2E_PLATFORM_MS asks it to
# wait: it shares the two cores with the server, so its own cost shows in every figure.
# CPU columns are % of one core over the load (2 cores in all): the server, PostgreSQL, wrk, the
# fake platform, and everything else on the machine. Memory: VmRSS at the end of the run and VmHWM
# (the setup's sign-up hashes a password with Argon2id: its 64 MiB are in every peak).
#
# Usage: bench/e2e.sh [seconds per run, default 10]
# BENCH_PG_STATEMENTS=1: PostgreSQL with pg_stat_statements; the saturated run's top statements go in the notes.
# Environment: DATABASES ("sqlite postgres"), WORKERS ("default": the server's, 8; e.g. "2 16"), E2E_RATES ("50 100 200 400"),
# E2E_INTEGRATIONS (200), E2E_CONNECTIONS (128: wrk's connections; each waits for its delivery's commit, so 64 capped the offered load near 3,500/s), E2E_PLATFORM_MS (0: how long the fake takes to answer each send), BENCH_QUIET (see bench/lib/common.sh), SB_BIN, FAKE_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
databases="${DATABASES:-sqlite postgres}"
workers_list="${WORKERS:-default}"  # default: the server's own (8)
rates="${E2E_RATES-50 100 200 400 800}"  # empty: the saturated run only
platform_ms="${E2E_PLATFORM_MS:-0}"
integrations="${E2E_INTEGRATIONS:-200}"
conns="${E2E_CONNECTIONS:-128}"
source bench/lib/common.sh
bench_scratch sb-bench-e2e

if [ "$platform_ms" = 0 ]; then start_fake --inline; else start_fake; fi
sent() { node bench/lib/jobs.mjs sent "$fake_root"; }
now() { date +%s.%N; }
pg_url=""
db_no=0

# start_server DB WORKERS: fresh data folder, fresh PostgreSQL database, set up through the API.
# Sets db_url: the run's PostgreSQL database ("" on SQLite).
start_server() {
  db_url=""
  if [ "$1" = postgres ]; then
    db_no=$((db_no + 1))
    psql "$pg_url" -qc "CREATE DATABASE run_$db_no" >/dev/null
    db_url="${pg_url%/*}/run_$db_no"
  fi
  start_switchboard "$db_url" "$integrations" --workers "$2"
  curl -fs -X POST "$fake_root/_control/reset" >/dev/null
  # A real platform answers in tens of milliseconds; the fake, at once unless told otherwise.
  if [ "$platform_ms" -gt 0 ]; then
    curl -fs -X POST -H 'Content-Type: application/json' "$fake_root/_control/script" \
      -d "{\"service\":\"telegram\",\"outcomes\":[{\"kind\":\"ok\",\"delay_ms\":$platform_ms}]}" >/dev/null
  fi
}
stop_server() {
  local errors warnings
  errors=$(grep -c '"level":"error"' "$server_log" || true)
  warnings=$(grep -c '"level":"warn"' "$server_log" || true)
  [ "$errors$warnings" = 00 ] || notes+=("$1: server log $errors errors, $warnings warnings")
  grep -h '"level":"\(error\|warn\)"' "$server_log" | sed -E 's/"time":"[^"]*",//; s/"(job_id|request_id)":"[^"]*",?//g' |
    cut -c1-240 | sort | uniq -c | sort -rn | head -5 >&2 || true
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
}
pending() { node bench/lib/jobs.mjs stats "$base" "$cookie" | awk '{ print $1 + $2 + $4 }'; }
drain() {  # waits until nothing is queued, processing or failed (at most $1 s); prints the seconds waited
  local t0; t0=$(now)
  for _ in $(seq $(( $1 * 5 ))); do [ "$(pending)" -eq 0 ] && break; sleep 0.2; done
  awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}

notes=()
# PostgreSQL plans a prepared statement once its sixth run shows a generic plan is no dearer, and
# keeps that plan until the table's statistics change. On a fresh database that plan is made for
# empty tables (sequential scans) and lasts until autovacuum first analyzes them, a minute or more
# into a run. A server that has been up has statistics, so PostgreSQL runs start with a second of
# load and an ANALYZE, as autovacuum would have done (E2E_PG_WARM=0 skips it: a cold start).
warm_postgres() {
  [ "$1" = postgres ] && [ "${E2E_PG_WARM:-1}" = 1 ] || return 0
  INGEST_TARGETS="$work/targets" INGEST_BASE=3000000000 INGEST_DUP=0 wrk -t1 -c64 -d1s -s bench/ingest.lua "$base" >/dev/null
  psql "$db_url" -qc ANALYZE
  drain 300 >/dev/null
}

run_saturated() {  # DB WORKERS
  local db="$1" w="$2"
  start_server "$db" "$w"
  warm_postgres "$db"
  wait_quiet
  local s1 t1 s2 t2 s3
  [ "$db" = postgres ] && pg_reset_statements "$pg_url"
  cpu_mark
  INGEST_TARGETS="$work/targets" INGEST_BASE=1000000000 INGEST_DUP=0 \
    timed_wrk "$work/wrk.out" "$work/wrk.time" -t1 -c"$conns" -d"${secs}s" --latency -s bench/ingest.lua "$base" &
  local wrk_pid=$!
  sleep 2; s1=$(sent); t1=$(now); thread_cpu "$server_pid" >"$work/threads0"
  wait "$wrk_pid"
  s2=$(sent); t2=$(now); thread_cpu "$server_pid" >"$work/threads1"
  notes+=("$db, $w workers, saturated: server CPU per reply during the load by thread: $(thread_cpu_per "$work/threads0" "$work/threads1" $((s2 - s1)))")
  local cpu; cpu=$(cpu_columns "$work/wrk.time")
  notes+=("$db, $w workers, saturated: server CPU ÷ fake CPU $(yardstick "$cpu")")
  local backlog; backlog=$(pending)
  if [ "$db" = postgres ] && [ "${BENCH_PG_STATEMENTS:-0}" = 1 ]; then
    notes+=("$db, $w workers, saturated: PostgreSQL's statements during the load (total ms | calls | µs per call | rows per call | statement):")
    while IFS= read -r line; do notes+=("    $line"); done < <(pg_top_statements "$pg_url" 10)
  fi
  sleep "$secs"
  s3=$(sent)
  local rps p50 p99 non2xx n
  read -r rps p50 p99 non2xx n <<<"$(wrk_fields "$(cat "$work/wrk.out")")"
  local during alone
  during=$(awk -v a="$s1" -v b="$s2" -v x="$t1" -v y="$t2" 'BEGIN { printf "%.0f", (b - a) / (y - x) }')
  alone=$(awk -v a="$s2" -v b="$s3" -v s="$secs" 'BEGIN { printf "%.0f", (b - a) / s }')
  echo "| $db | $w | saturated, wrk -c$conns | $rps | $non2xx | $during | $alone with $backlog jobs waiting | — | — | — | $cpu | $(rss_mib "$server_pid") / $(peak_rss_mib "$server_pid") MiB |"
  stop_server "$db, $w workers, saturated"
}

run_paced() {  # DB WORKERS RATE
  local db="$1" w="$2" rate="$3"
  local pause=$(( conns * 1000 / rate )); [ "$pause" -lt 1 ] && pause=1
  start_server "$db" "$w"
  warm_postgres "$db"
  wait_quiet
  local s0 s1 from
  s0=$(sent); from=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  cpu_mark
  INGEST_TARGETS="$work/targets" INGEST_BASE=2000000000 INGEST_DUP=0 INGEST_DELAY_MS="$pause" \
    timed_wrk "$work/wrk.out" "$work/wrk.time" -t1 -c"$conns" -d"${secs}s" --latency -s bench/ingest.lua "$base"
  s1=$(sent)
  local cpu; cpu=$(cpu_columns "$work/wrk.time")
  local left; left=$(pending)
  local waited; waited=$(drain 300)
  local rps p50 p99 non2xx n
  read -r rps p50 p99 non2xx n <<<"$(wrk_fields "$(cat "$work/wrk.out")")"
  local jobs ok l50 l99 lmax throttled
  read -r jobs ok l50 l99 lmax throttled <<<"$(node bench/lib/jobs.mjs latency "$base" "$cookie" "$from")"
  local during; during=$(awk -v a="$s0" -v b="$s1" -v s="$secs" 'BEGIN { printf "%.0f", (b - a) / s }')
  echo "| $db | $w | paced $rate/s, wrk -c$conns | $rps | $non2xx | $during | $left jobs left, drained in ${waited} s | $l50 / $l99 (max $lmax) | $ok of $jobs | $throttled | $cpu | $(rss_mib "$server_pid") / $(peak_rss_mib "$server_pid") MiB |"
  stop_server "$db, $w workers, paced $rate/s"
}

machine_line
echo "${secs}s per run; $integrations Telegram integrations, one bot with one template; replies from the template (AI off); the fake answers each send after ${platform_ms} ms"
echo
echo "| database | workers | load | deliveries/s accepted | non-2xx | replies/s during the load | after the load | receipt → reply p50 / p99 ms | replies measured | jobs throttled | server CPU | PostgreSQL CPU | wrk CPU | fake CPU | other CPU | server RSS at the end / peak |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for db in $databases; do
  if [ "$db" = postgres ]; then
    pg_dir=$(mktemp -d /tmp/sb-bench-pg-XXXXXX)
    pg_url=$(pg_durable_start "$pg_dir")
  fi
  for w in $workers_list; do
    [ "$w" = default ] && w=8
    run_saturated "$db" "$w"
    for r in $rates; do run_paced "$db" "$w" "$r"; done
  done
  if [ "$db" = postgres ]; then pg_durable_stop "$pg_dir"; pg_dir=""; fi
done
echo
echo "- rate limits: $rate_limits"
for n in "${notes[@]}"; do echo "- $n"; done
