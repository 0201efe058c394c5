#!/usr/bin/env bash
# Crash test across processes (issue 22, ADRs 0039 and 0040): one durable PostgreSQL, 2 `switchboard
# serve` and 3 `switchboard worker` processes (sharing one data folder for the master key) behind the
# round-robin proxy of bench/lib/round_robin.mjs. bench/chaos/deliver.mjs plays Telegram: N signed
# deliveries through the proxy, each redelivered until it got a 200. Meanwhile processes are killed
# with SIGKILL at random and restarted — the first kill hits the holder of the singleton tasks (found
# in pg_locks), the second a worker — while the fake platform answers every send slowly
# (CLUSTER_SLOW_MS) during the first CLUSTER_SLOW_KILLS kills, so sends are in flight when they land.
# At the end (every delivery acknowledged, nothing queued, processing or failed) bench/chaos/check.mjs
# prints acknowledged deliveries, events, jobs, replies at the fake and jobs in doubt (an in_doubt
# attempt in their log, or held in state in_doubt), and fails unless they agree: nothing
# acknowledged lost, duplicate replies only among the jobs in doubt, none at all with policy hold.
#
# Usage: bench/chaos/cluster.sh
# Environment: CHAOS_POLICY (resend | hold: every integration's in_doubt_policy, default resend),
# CLUSTER_MESSAGES (2000, at most 10000: the export holds 10,000 jobs), CLUSTER_RATE (first deliveries
# per second, 100: at 1 s per send the fake's 64 answer threads take at most 64 sends/s, so sends
# queue at the fake and some get no answer within the server's --platform-timeout-ms (5 s) although
# the fake accepts them later; those sends are in doubt too, ADR 0040), CLUSTER_KILLS (6, 3–6 s
# apart), CLUSTER_SLOW_MS (1000), CLUSTER_SLOW_KILLS
# (kills made while the platform is slow; default two thirds of them, at least 1), CLUSTER_WORKERS
# (reply workers per process, 4), CLUSTER_INTEGRATIONS (10), CLUSTER_DRAIN_SECONDS (120),
# KEEP_WORK=1, SB_BIN, FAKE_BIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
policy="${CHAOS_POLICY:-resend}"
messages="${CLUSTER_MESSAGES:-2000}"
rate="${CLUSTER_RATE:-100}"
kills="${CLUSTER_KILLS:-6}"
slow_ms="${CLUSTER_SLOW_MS:-1000}"
slow_kills="${CLUSTER_SLOW_KILLS:-$(( kills * 2 / 3 > 0 ? kills * 2 / 3 : 1 ))}"
per_process="${CLUSTER_WORKERS:-4}"
integrations="${CLUSTER_INTEGRATIONS:-10}"
drain_seconds="${CLUSTER_DRAIN_SECONDS:-120}"
case "$policy" in resend|hold) ;; *) echo "CHAOS_POLICY must be resend or hold" >&2; exit 2 ;; esac
[ "$messages" -le 10000 ] || { echo "CLUSTER_MESSAGES must be at most 10000" >&2; exit 2; }
source bench/lib/common.sh
bench_scratch sb-cluster

start_fake
pg_dir=$(mktemp -d /tmp/sb-cluster-pg-XXXXXX)
url=$(pg_durable_start "$pg_dir")
data_dir="$work/data"
log="$work/processes.log"
q() { psql "$url" -Atc "$1"; }

# Slots 0 and 1 are serve processes (fixed ports, so the proxy finds them again after a restart),
# slots 2–4 worker processes.
kinds=(serve serve worker worker worker)
ports=("$(free_port)" "$(free_port)" "" "" "")
slot_pid=()
start_slot() {
  local s="$1" args
  if [ "${kinds[$s]}" = serve ]; then
    args=(serve --listen "127.0.0.1:${ports[$s]}")
  else
    args=(worker)
  fi
  args+=(--data-dir "$data_dir" --database-url "$url" --workers "$per_process")
  echo "{\"chaos\":\"slot $s (${kinds[$s]}) starting\",\"at\":\"$(date +%T.%N)\"}" >>"$log"
  env -u OPENROUTER_API_KEY SWITCHBOARD_TELEGRAM_API_BASE="$fake_root/telegram" \
    "$SB_BIN" "${args[@]}" >/dev/null 2>>"$log" &
  slot_pid[$s]=$!
  pids+=("$!")
  if [ "${kinds[$s]}" = serve ]; then wait_healthy "http://127.0.0.1:${ports[$s]}"; fi
}
# The process holding the singleton tasks' advisory lock (ADR 0039): its connection's
# application_name is "<host>:<pid>"; prints the slot, or nothing when none holds it right now.
holder_slot() {
  local name pid s
  name=$(q "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 21314 AND l.objid = 1" | head -1)
  pid="${name##*:}"; pid="${pid%%/*}"
  for s in "${!slot_pid[@]}"; do if [ "${slot_pid[$s]}" = "$pid" ]; then echo "$s"; return 0; fi; done
  return 0
}
set_slow() {  # set_slow MS: every Telegram send waits MS before the fake answers (0: at once)
  curl -fs -X POST "$fake_root/_control/script" -H 'Content-Type: application/json' \
    -d "{\"service\":\"telegram\",\"outcomes\":[{\"kind\":\"ok\",\"delay_ms\":$1}]}" >/dev/null
}
elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%5.1f s", b - a }'; }

echo "Crash test across processes: 2 serve + 3 worker processes ($per_process reply workers each) on one PostgreSQL behind a round-robin proxy;"
echo "$messages deliveries at $rate/s over $integrations Telegram integrations, policy $policy; $kills SIGKILLs 3–6 s apart, the platform answering in $slow_ms ms during the first $slow_kills; $(machine_line)"
start_slot 0
setup=$(node bench/lib/setup.mjs "http://127.0.0.1:${ports[0]}" "$fake_root" "$integrations" "$work/targets")
cookie=$(node -e "console.log(JSON.parse(process.argv[1]).cookie)" "$setup")
csrf=$(node -e "console.log(JSON.parse(process.argv[1]).csrf)" "$setup")
while read -r id _; do
  curl -fs -X PATCH "http://127.0.0.1:${ports[0]}/api/integrations/$id" -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/json' -d "{\"in_doubt_policy\":\"$policy\"}" >/dev/null
done <"$work/targets"
[ "$(q "SELECT COUNT(*) FROM integrations WHERE in_doubt_policy = '$policy'")" = "$integrations" ] ||
  { echo "could not set in_doubt_policy $policy on every integration" >&2; exit 1; }
for s in 1 2 3 4; do start_slot "$s"; done
proxy_port=$(free_port)
node bench/lib/round_robin.mjs "$proxy_port" "http://127.0.0.1:${ports[0]}" "http://127.0.0.1:${ports[1]}" >"$work/proxy.url" &
pids+=("$!")
proxy=$(started_url proxy)
curl -fs -X POST "$fake_root/_control/reset" >/dev/null
set_slow "$slow_ms"

t_start=$(date +%s.%N)
node bench/chaos/deliver.mjs "$proxy" "$work/targets" "$messages" "$rate" 32 "$work/deliver.json" 900 \
  2>"$work/deliver.log" &
deliver_pid=$!
pids+=("$deliver_pid")

sleep 2
for k in $(seq "$kills"); do
  victim="" why=""
  if [ "$k" = 1 ]; then victim=$(holder_slot); why="singleton holder"; fi
  if [ "$k" = 2 ]; then victim=$((2 + RANDOM % 3)); why="worker"; fi
  if [ -z "$victim" ]; then victim=$((RANDOM % 5)); why="at random"; fi
  if [ "$k" != 1 ] && [ "$victim" = "$(holder_slot)" ]; then why="$why, singleton holder"; fi
  kill -9 "${slot_pid[$victim]}"
  wait "${slot_pid[$victim]}" 2>/dev/null || true
  at=$(elapsed)
  held=$(q "SELECT COUNT(*) FROM message_jobs WHERE state = 'processing' AND send_attempt > attempts")
  failover=""
  if [[ "$why" == *"singleton holder"* ]]; then
    # The victim stays down until another process has taken the singleton tasks over (ADR 0039).
    t_kill=$(date +%s.%N) failover="; no failover within 30 s"
    for _ in $(seq 300); do
      now_holder=$(holder_slot)
      if [ -n "$now_holder" ] && [ "$now_holder" != "$victim" ]; then
        failover="; singleton tasks taken over by slot $now_holder in $(awk -v a="$t_kill" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
        break
      fi
      sleep 0.1
    done
  fi
  sleep 0.5
  start_slot "$victim"
  slow="slow platform"
  if [ "$k" = "$slow_kills" ]; then set_slow 0; slow="slow platform, fast from now on"; fi
  if [ "$k" -gt "$slow_kills" ]; then slow="fast platform"; fi
  echo "kill $k at $at: slot $victim (${kinds[$victim]}, $why; $slow), $held sends in flight in the cluster (marked started, result unrecorded) at the kill$failover; holder now slot $(holder_slot)"
  if [ "$k" -lt "$kills" ]; then sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 3 + 3 * r / 32767 }')"; fi
done
set_slow 0
echo "waiting for every delivery to be acknowledged…"
deliver_status=0
wait "$deliver_pid" || deliver_status=$?
echo "all deliveries answered at $(elapsed) (deliver.mjs exit $deliver_status); draining the queue…"
drained=no
for _ in $(seq $((drain_seconds * 2))); do
  pending=$(q "SELECT COUNT(*) FROM message_jobs WHERE state IN ('queued', 'processing', 'failed')")
  [ "$pending" = 0 ] && { drained=yes; break; }
  sleep 0.5
done
echo "queue drained: $drained at $(elapsed) ($(q "SELECT string_agg(state || ' ' || n, ', ') FROM (SELECT state, COUNT(*) n FROM message_jobs GROUP BY state ORDER BY state) s"))"
echo

# Replies the fake still holds (sends queued behind its slow answers, some of them already timed
# out at the server) are accepted a little later: wait until its count stops moving.
last=-1
for _ in $(seq 60); do
  now_sent=$(curl -fs "$fake_root/_control/sent" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).items.length))")
  [ "$now_sent" = "$last" ] && break
  last=$now_sent
  sleep 2
done
psql "$url" -AtF $'\t' -c "SELECT integration_id, idempotency_key FROM webhook_events" >"$work/events.tsv"
# Jobs in doubt, with why: "crash" (its process died during the send: the rescuer's in_doubt
# attempt, whose error names the worker) or "no_answer" (the platform did not answer in time, or the
# connection broke after the request went out: the worker's own in_doubt attempt), or both.
psql "$url" -AtF $'\t' -c "SELECT e.integration_id, e.idempotency_key, j.state,
    concat_ws('+',
      CASE WHEN EXISTS (SELECT 1 FROM message_job_logs l WHERE l.job_id = j.id AND l.kind = 'attempt' AND l.outcome = 'in_doubt'
                        AND l.error LIKE 'The worker %') THEN 'crash' END,
      CASE WHEN EXISTS (SELECT 1 FROM message_job_logs l WHERE l.job_id = j.id AND l.kind = 'attempt' AND l.outcome = 'in_doubt'
                        AND l.error NOT LIKE 'The worker %') THEN 'no_answer' END)
  FROM message_jobs j JOIN webhook_events e ON e.id = j.event_id
  WHERE j.state = 'in_doubt' OR EXISTS (SELECT 1 FROM message_job_logs l WHERE l.job_id = j.id AND l.kind = 'attempt' AND l.outcome = 'in_doubt')" \
  >"$work/in_doubt.tsv"
status=0
node bench/chaos/check.mjs "$work/deliver.json" "$work/events.tsv" "http://127.0.0.1:${ports[0]}" "$cookie" "$fake_root" \
  "$work/in_doubt.tsv" "$policy" || status=$?
echo
echo "process log: $(grep -c '"chaos":"slot' "$log") starts, $(grep -c '"level":"error"' "$log" || true) errors, $(grep -c '"level":"warn"' "$log" || true) warnings"
grep -h '"level":"\(error\|warn\)"' "$log" | sed -E 's/"time":"[^"]*",//; s/"(job_id|request_id)":"[^"]*",?//g' |
  cut -c1-200 | sort | uniq -c | sort -rn | head -8 || true
[ "$drained" = yes ] || { echo "FAIL: the queue did not drain within ${drain_seconds} s"; status=1; }
[ "$deliver_status" = 0 ] || { echo "FAIL: not every delivery was acknowledged"; status=1; }
exit "$status"
