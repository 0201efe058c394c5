#!/usr/bin/env bash
# Backup and restore under load, for each database: starts a server (against build/fake_platforms),
# drives signed Telegram deliveries, takes a backup in the middle of the load with the commands
# docs/operations.md gives (SQLite: `switchboard admin backup --to FILE`; PostgreSQL: `pg_dump -Fc`),
# lets the load finish, stops the server, destroys its data (database and data folder), restores the
# backup and master.key, starts the server again and lets it finish the restored queue. Then it checks
# that every delivery acknowledged before the backup began is there: its event, its one job (ended
# `succeeded`) and its inbound message and reply. Prints one line per database and PASS or FAIL.
#
# usage: scripts/backup-test.sh [sqlite|postgres|both]   (default both; 10–90 s each on a busy 2-core machine)
# Environment: BACKUP_N deliveries (default 3000), BACKUP_RATE per second (default 600), SB_BIN, FAKE_BIN.
# Not part of `make test`: it is in `make bench` (it measures nothing, but starts real servers and a
# durable PostgreSQL: 36 s to 2 minutes in all, depending on the load of the machine).
set -euo pipefail
cd "$(dirname "$0")/.."
which_dbs="${1:-both}"
N="${BACKUP_N:-3000}"
RATE="${BACKUP_RATE:-600}"
source bench/lib/common.sh
bench_scratch sb-backup-test
start_fake
failed=0

# The platform side: N distinct signed deliveries, open loop at RATE/s, each retried until it gets a
# 200; writes "update_id acknowledged_at_ms" for every acknowledged one when all are in.
cat >"$work/load.mjs" <<'EOF'
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
const [base, targetsFile, nArg, rateArg, outFile] = process.argv.slice(2);
const N = Number(nArg), RATE = Number(rateArg);
const targets = readFileSync(targetsFile, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const acked = new Map();
function send(i) {
  const [id, secret] = targets[i % targets.length];
  const body = JSON.stringify({ update_id: 5000000 + i, message: { message_id: i + 1, date: Math.floor(Date.now() / 1000),
    from: { id: 700000 + i, is_bot: false, first_name: 'Backup' }, chat: { id: 700000 + i, type: 'private' },
    text: `what are your opening hours? (${i})` } });
  const req = http.request({ host: url.hostname, port: url.port, path: `/hooks/telegram/${id}`, method: 'POST', agent,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
               'X-Telegram-Bot-Api-Secret-Token': secret } }, (res) => {
    res.resume();
    res.on('end', () => {
      if (res.statusCode === 200) { acked.set(5000000 + i, Date.now()); done(); } else setTimeout(() => send(i), 200);
    });
  });
  req.setTimeout(10000, () => req.destroy(new Error('timeout')));
  req.on('error', () => setTimeout(() => send(i), 200));
  req.end(body);
}
function done() {
  if (acked.size < N) return;
  writeFileSync(outFile, [...acked].map(([u, t]) => `${u} ${t}`).join('\n') + '\n');
  process.exit(0);
}
const started = Date.now();
let next = 0;
const timer = setInterval(() => {
  const due = Math.min(N, Math.floor(((Date.now() - started) / 1000) * RATE));
  while (next < due) send(next++);
  if (next >= N) clearInterval(timer);
}, 10);
setTimeout(() => { console.error(`only ${acked.size} of ${N} acknowledged`); process.exit(1); }, 300000);
EOF

# sql DB QUERY: one value from the server's database.
sql() {
  if [ "$1" = sqlite ]; then sqlite3 -batch -noheader "$data/switchboard.db" "$2"; else psql -qtAX "$db_url" -c "$2"; fi
}

server_args() { echo serve --listen "127.0.0.1:$port" --data-dir "$data" --workers 2; }

# wait_drained DB: until no job is queued or processing (at most 120 s).
wait_drained() {
  for _ in $(seq 1200); do
    [ "$(sql "$1" "SELECT COUNT(*) FROM message_jobs WHERE state IN ('queued', 'processing', 'failed')")" = 0 ] && return 0
    sleep 0.1
  done
  echo "   the restored queue did not drain" >&2
  return 1
}

run_one() {
  local db="$1" url=""
  if [ "$db" = postgres ]; then
    pg_dir=$(mktemp -d /tmp/sb-backup-pg-XXXXXX)  # outside $work, which the postgres user cannot enter
    local admin_url; admin_url=$(pg_durable_start "$pg_dir")
    psql -qtAX "$admin_url" -c "CREATE DATABASE switchboard" >/dev/null
    url="${admin_url%/postgres}/switchboard"
  fi
  db_url="$url"
  start_switchboard "$url" 4 --workers 2
  port="${base##*:}"
  data="$work/data-$port"

  node "$work/load.mjs" "$base" "$work/targets" "$N" "$RATE" "$work/acked-$db" &
  local load_pid=$!
  pids+=("$load_pid")
  sleep 2  # a good part of the deliveries is in, the rest still coming

  local backup_start; backup_start=$(date +%s%3N)
  mkdir -p "$work/backup-$db"
  cp "$data/master.key" "$work/backup-$db/master.key"
  if [ "$db" = sqlite ]; then
    "$SB_BIN" admin backup --data-dir "$data" --to "$work/backup-$db/switchboard.db" >"$work/backup-$db.log"
  else
    pg_dump -Fc -d "$url" -f "$work/backup-$db/switchboard.dump"
  fi
  local backup_end; backup_end=$(date +%s%3N)
  wait "$load_pid"

  local live_events; live_events=$(sql "$db" "SELECT COUNT(*) FROM webhook_events")
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true

  # Destroy: the database and the whole data folder.
  rm -rf "$data"
  if [ "$db" = postgres ]; then
    psql -qtAX "$admin_url" -c "DROP DATABASE switchboard WITH (FORCE)" >/dev/null
    psql -qtAX "$admin_url" -c "CREATE DATABASE switchboard" >/dev/null
  fi

  # Restore, as docs/operations.md says.
  mkdir -p "$data"
  cp "$work/backup-$db/master.key" "$data/master.key"
  chmod 600 "$data/master.key"
  if [ "$db" = sqlite ]; then
    cp "$work/backup-$db/switchboard.db" "$data/switchboard.db"
  else
    pg_restore --no-owner --exit-on-error -d "$url" "$work/backup-$db/switchboard.dump"
  fi
  local args; read -r -a args <<<"$(server_args)"
  [ -n "$url" ] && args+=(--database-url "$url")
  env -u OPENROUTER_API_KEY SWITCHBOARD_TELEGRAM_API_BASE="$fake_root/telegram" \
    "$SB_BIN" "${args[@]}" >/dev/null 2>"$work/server-restored-$db.log" &
  server_pid=$!
  pids+=("$server_pid")
  wait_healthy "http://127.0.0.1:$port"
  wait_drained "$db" || true

  # Every delivery acknowledged before the backup began must be there, with one job that succeeded
  # and its inbound message and reply.
  local before; before=$(awk -v t="$backup_start" '$2 < t { print $1 }' "$work/acked-$db")
  local n_before; n_before=$(echo "$before" | grep -c . || true)
  local keys; keys=$(echo "$before" | awk 'NF { printf "%s'\''%s'\''", (n++ ? "," : ""), $1 }')
  local events jobs succeeded restored_events messages
  events=$(sql "$db" "SELECT COUNT(*) FROM webhook_events WHERE idempotency_key IN ($keys)")
  jobs=$(sql "$db" "SELECT COUNT(*) FROM message_jobs j JOIN webhook_events e ON e.id = j.event_id WHERE e.idempotency_key IN ($keys)")
  succeeded=$(sql "$db" "SELECT COUNT(*) FROM message_jobs j JOIN webhook_events e ON e.id = j.event_id WHERE e.idempotency_key IN ($keys) AND j.state = 'succeeded'")
  # Each delivery comes from its own chat: its conversation holds its message and the reply.
  messages=$(sql "$db" "SELECT COUNT(*) FROM messages m JOIN conversation_sessions s ON s.id = m.session_id WHERE s.external_user_id IN (SELECT j.external_user_id FROM message_jobs j JOIN webhook_events e ON e.id = j.event_id WHERE e.idempotency_key IN ($keys))")
  restored_events=$(sql "$db" "SELECT COUNT(*) FROM webhook_events")
  local verdict=PASS
  if [ "$n_before" -eq 0 ] || [ "$events" != "$n_before" ] || [ "$jobs" != "$n_before" ] || [ "$succeeded" != "$n_before" ] || [ "$messages" != $((2 * n_before)) ]; then
    verdict=FAIL
    failed=1
  fi
  echo "| $db | $N | $(wc -l <"$work/acked-$db") | $n_before | $((backup_end - backup_start)) ms | $restored_events of $live_events | $events | $jobs | $succeeded | $messages | $verdict |"
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  if [ "$db" = postgres ]; then pg_durable_stop "$pg_dir"; pg_dir=""; fi
}

machine_line
echo "$N deliveries at ${RATE}/s over 4 integrations; backup 2 s in; server: serve --workers 2"
echo
echo "| database | deliveries | acknowledged | acknowledged before the backup began | backup took | events restored (of those before the destruction) | their events | their jobs | their jobs succeeded after the restart | their messages | result |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
case "$which_dbs" in
  sqlite) run_one sqlite ;;
  postgres) run_one postgres ;;
  both) run_one sqlite; run_one postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
[ "$failed" -eq 0 ] && echo "PASS" || { echo "FAIL"; exit 1; }
