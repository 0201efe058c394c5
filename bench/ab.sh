#!/usr/bin/env bash
# Alternating ingest runs of two (or more) server binaries, for before/after comparisons on a noisy
# machine: each run starts a fresh server of one binary (`serve --workers 0`, SQLite, set up like
# bench/ingest.sh), drives it with the same wrk script at 64 connections, and prints one line:
#
#   <binary> <deliveries/s> <p99> <server CPU µs per delivery> <deliveries per commit> <steal %> | <CPU µs per delivery by thread>
#
# The binaries take turns (A B A B …), so a change in the host's speed falls on both. Read the
# server's CPU per delivery rather than the rate: the rate follows the host ("steal" is the share
# of the machine's time its host took during the run).
#
# Usage: bench/ab.sh BIN_A BIN_B [BIN…]
# A binary written BIN:billing runs with BENCH_BILLING=on (bench/lib/common.sh: billing on, the
# organisation on Business), e.g. `bench/ab.sh build/switchboard build/switchboard:billing`;
# BIN:norollups with BENCH_ROLLUPS=off (`--analytics-rollups off`); both: BIN:billing:norollups.
# Issue 21's message-path cost: `bench/ab.sh build/switchboard:norollups build/switchboard:billing`
# (rollups and usage counting both off, then both on).
# Environment: PAIRS (rounds, default 5), SECS (seconds per run, default 8), CONNS (default 64),
# DUP (share of repeated deliveries, default 0).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/ab.sh BIN_A BIN_B [BIN…]" >&2; exit 2; }
binaries=("$@")
source bench/lib/common.sh

steal_and_total() { awk '/^cpu / { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

one_run() {
  SB_BIN="${1%%:*}"
  if [[ "$1" == *:billing* ]]; then export BENCH_BILLING=on; else export BENCH_BILLING=off; fi
  if [[ "$1" == *:norollups* ]]; then export BENCH_ROLLUPS=off; else export BENCH_ROLLUPS=on; fi
  bench_scratch sb-bench-ab
  start_fake
  start_switchboard "" 1 --workers 0 --queue-bound 1000000000
  local u0 b0 u1 b1 s0 a0 s1 a1 c0 c1
  u0=$(metric "$base" switchboard_ingest_units_total); b0=$(metric "$base" switchboard_ingest_batches_total)
  thread_cpu "$server_pid" >"$work/threads0"
  c0=$(cpu_seconds "$server_pid"); read -r s0 a0 <<<"$(steal_and_total)"
  INGEST_TARGETS="$work/targets" INGEST_BASE=100000000000 INGEST_DUP="${DUP:-0}" \
    wrk -t1 -c"${CONNS:-64}" -d"${SECS:-8}s" --latency -s bench/ingest.lua "$base" >"$work/wrk.out"
  c1=$(cpu_seconds "$server_pid"); read -r s1 a1 <<<"$(steal_and_total)"
  thread_cpu "$server_pid" >"$work/threads1"
  u1=$(metric "$base" switchboard_ingest_units_total); b1=$(metric "$base" switchboard_ingest_batches_total)
  local rps p50 p99 non2xx n
  read -r rps p50 p99 non2xx n <<<"$(wrk_fields "$(cat "$work/wrk.out")")"
  printf '%s %s/s p99 %s ms %s µs %s per commit steal %s%% | %s\n' "$1" "$rps" "$p99" \
    "$(awk -v c0="$c0" -v c1="$c1" -v n="$n" 'BEGIN { printf "%.1f", (c1 - c0) / n * 1e6 }')" \
    "$(awk -v u=$((u1 - u0)) -v b=$((b1 - b0)) 'BEGIN { printf "%.1f", b ? u / b : 0 }')" \
    "$(awk -v s=$((s1 - s0)) -v a=$((a1 - a0)) 'BEGIN { printf "%.1f", a ? 100 * s / a : 0 }')" \
    "$(thread_cpu_per "$work/threads0" "$work/threads1" "$n")"
  [ "$non2xx" = 0 ] || echo "  ($non2xx answers were not 2xx)"
}

machine_line
for _ in $(seq "${PAIRS:-5}"); do
  for bin in "${binaries[@]}"; do (one_run "$bin"); done
done
