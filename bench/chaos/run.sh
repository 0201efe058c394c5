#!/usr/bin/env bash
# Crash test: a real server under load is killed with SIGKILL several times and restarted on the
# same data folder and port, while bench/chaos/deliver.mjs plays the platform: N distinct signed
# Telegram deliveries, each redelivered until it got a 200. build/fake_platforms (a separate
# process, never killed) answers the replies. At the end — server up, queue drained (nothing
# queued, processing or failed in GET /api/jobs/stats) — bench/chaos/check.mjs prints the counts
# and fails when an acknowledged delivery has no event or job, a message has two, a message got
# no reply, or a message got two replies (the documented at-least-once window: a kill between the
# platform accepting a reply and the job's commit; counted and reported as a failure).
#
# Usage: bench/chaos/run.sh [--postgres]
# Environment: CHAOS_MESSAGES (3000, at most 10000: the export holds 10,000 jobs), CHAOS_KILLS (5),
# CHAOS_RATE (first deliveries per second, 200), CHAOS_CONCURRENCY (32), CHAOS_INTEGRATIONS (10:
# Telegram's default 30/s per bot would otherwise make the replies crawl), CHAOS_WORKERS (the server's default, 8),
# CHAOS_DRAIN_SECONDS (300: jobs held by a killed worker wait out their 60 s lease),
# KEEP_WORK=1 keeps the scratch folder (database, logs) for a look afterwards; SB_BIN, FAKE_BIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=sqlite
[ "${1:-}" = --postgres ] && db=postgres
messages="${CHAOS_MESSAGES:-3000}"
kills="${CHAOS_KILLS:-5}"
rate="${CHAOS_RATE:-200}"
concurrency="${CHAOS_CONCURRENCY:-32}"
integrations="${CHAOS_INTEGRATIONS:-10}"
workers="${CHAOS_WORKERS:-}"  # empty: the server's default
drain_seconds="${CHAOS_DRAIN_SECONDS:-300}"
[ "$messages" -le 10000 ] || { echo "CHAOS_MESSAGES must be at most 10000" >&2; exit 2; }
source bench/lib/common.sh
bench_scratch sb-chaos

start_fake
url=""
if [ "$db" = postgres ]; then
  pg_dir=$(mktemp -d /tmp/sb-chaos-pg-XXXXXX)
  url=$(pg_durable_start "$pg_dir")
fi
port=$(free_port)
base="http://127.0.0.1:$port"
log="$work/server.log"

start_server() {  # same data folder, same port, every time
  local args=(serve --listen "127.0.0.1:$port" --data-dir "$work/data")
  [ -n "$workers" ] && args+=(--workers "$workers")
  [ -n "$url" ] && args+=(--database-url "$url")
  echo "{\"chaos\":\"server starting\",\"at\":\"$(date +%T.%N)\"}" >>"$log"
  env -u OPENROUTER_API_KEY SWITCHBOARD_TELEGRAM_API_BASE="$fake_root/telegram" \
    "$SB_BIN" "${args[@]}" >/dev/null 2>>"$log" &
  server_pid=$!
  pids+=("$server_pid")
}

elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%5.1f s", b - a }'; }
fake_sent() { node bench/lib/jobs.mjs sent "$fake_root"; }

echo "Crash test on $db: $messages messages at $rate/s over $integrations Telegram integrations, $concurrency in flight;"
echo "$kills SIGKILLs 2–4 s apart; ${workers:-the default number of} workers; $(machine_line)"
start_server
wait_healthy "$base"
setup=$(node bench/lib/setup.mjs "$base" "$fake_root" "$integrations" "$work/targets")
cookie=$(node -e "console.log(JSON.parse(process.argv[1]).cookie)" "$setup")
curl -fs -X POST "$fake_root/_control/reset" >/dev/null

t_start=$(date +%s.%N)
node bench/chaos/deliver.mjs "$base" "$work/targets" "$messages" "$rate" "$concurrency" "$work/deliver.json" 900 \
  2>"$work/deliver.log" &
deliver_pid=$!
pids+=("$deliver_pid")

for k in $(seq "$kills"); do
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 2 + 2 * r / 32767 }')"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  at=$(elapsed)
  acked=$(grep -oE 'acknowledged [0-9]+|[0-9]+/[0-9]+ acknowledged' "$work/deliver.log" | tail -1 | grep -oE '^acknowledged [0-9]+|^[0-9]+' || true)
  replies=$(fake_sent)
  t_kill=$(date +%s.%N)
  start_server
  wait_healthy "$base"
  echo "kill $k at $at: ${acked#acknowledged } of $messages deliveries acknowledged, $replies replies at the fake; back up in $(awk -v a="$t_kill" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }')"
done
echo "waiting for every delivery to be acknowledged…"
deliver_status=0
wait "$deliver_pid" || deliver_status=$?
echo "all deliveries answered at $(elapsed) (deliver.mjs exit $deliver_status); draining the queue…"
drained=no
for _ in $(seq $((drain_seconds * 2))); do
  read -r queued processing succeeded failed dead cancelled < <(node bench/lib/jobs.mjs stats "$base" "$cookie")
  if [ $((queued + processing + failed)) -eq 0 ]; then drained=yes; break; fi
  sleep 0.5
done
echo "queue drained: $drained at $(elapsed) (queued $queued, processing $processing, succeeded $succeeded, failed $failed, dead $dead, cancelled $cancelled)"
echo

if [ "$db" = sqlite ]; then
  sqlite3 -separator $'\t' "$work/data/switchboard.db" "SELECT integration_id, idempotency_key FROM webhook_events" >"$work/events.tsv"
else
  psql "$url" -AtF $'\t' -c "SELECT integration_id, idempotency_key FROM webhook_events" >"$work/events.tsv"
fi
status=0
node bench/chaos/check.mjs "$work/deliver.json" "$work/events.tsv" "$base" "$cookie" "$fake_root" || status=$?
echo
echo "server log: $(grep -c '"chaos":"server starting"' "$log") starts, $(grep -c '"level":"error"' "$log" || true) errors, $(grep -c '"level":"warn"' "$log" || true) warnings"
grep -h '"level":"\(error\|warn\)"' "$log" | sed -E 's/"time":"[^"]*",//; s/"(job_id|request_id)":"[^"]*",?//g' |
  cut -c1-200 | sort | uniq -c | sort -rn | head -8 || true
[ "$drained" = yes ] || { echo "FAIL: the queue did not drain within ${drain_seconds} s"; status=1; }
exit "$status"
