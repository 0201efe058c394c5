#!/usr/bin/env bash
# Analytics benchmark (issue 21, ADR 0037): an organisation with N demo conversations (about ten
# messages each) written by `switchboard admin seed-demo`, then every dashboard call for a 30-day
# range measured over HTTP, the same answers computed from the raw tables in the same run, and the
# CSV export's rows per second. On SQLite (the server's defaults) and on a durable PostgreSQL 15.
#
# Per database: a fresh server (`serve --workers 0`, billing off: every feature) whose one user signs
# up through the API; seed-demo writes into that user's organisation while the server idles (timed:
# rows written, rollups rebuilt, CPU of seed-demo and of PostgreSQL); then
#  - each dashboard call with wrk (bench/analytics.lua: p50, p95, p99) at $ANALYTICS_CONNS
#    connections (default 1: one person's dashboard; each of its calls is one request) for
#    $ANALYTICS_SECS seconds (default 10) after a warm-up request;
#  - `switchboard admin analytics-check --org … --preset 30d` (part A) timed the same minute: the
#    overview's numbers from conversation_sessions and messages and from the rollups, which must
#    agree; its raw time over the overview's p50 over HTTP is the "× raw" ratio (target ≥ 100);
#  - GET /api/analytics/export?kind=conversations|messages&preset=30d (part C), when the route
#    exists: rows, seconds, rows per second, bytes.
#
# Usage: bench/analytics.sh [conversations, default 1000000]   (e.g. 20000 for a smoke run)
# Environment: DATABASES ("sqlite postgres"), ANALYTICS_DAYS (90), ANALYTICS_SEED (1),
# ANALYTICS_SECS (10), ANALYTICS_CONNS (1), BENCH_QUIET (bench/lib/common.sh), SB_BIN, KEEP_WORK,
# ANALYTICS_KEEP=DIR: keep each database seeded in DIR/<database>-<conversations> (a data folder and,
# for PostgreSQL, its cluster) and reuse it on the next run instead of seeding again (seeding 1 M
# conversations takes minutes on SQLite and over half an hour on PostgreSQL). The server of a reused
# database migrates it first; its seed row says "reused". Ranges are relative to today, so a database
# seeded days ago has fewer conversations in its 30-day range. ANALYTICS_TZ: the organisation's
# time zone (UTC); the calls then answer in it (a local day elsewhere straddles two UTC days,
# ADR 0037 part U), and one more series call asks for UTC days.
set -euo pipefail
cd "$(dirname "$0")/.."
conversations="${1:-1000000}"
databases="${DATABASES:-sqlite postgres}"
days="${ANALYTICS_DAYS:-90}"
seed="${ANALYTICS_SEED:-1}"
secs="${ANALYTICS_SECS:-10}"
conns="${ANALYTICS_CONNS:-1}"
tz="${ANALYTICS_TZ:-UTC}"
source bench/lib/common.sh
bench_scratch sb-bench-analytics
kept_pg=""
trap 'bench_cleanup; [ -z "$kept_pg" ] || keep_pg_stop "$kept_pg"' EXIT
fake_pid=""  # no fake platforms here (cpu_columns reads it)

# The dashboard: what /analytics asks for on one load of a 30-day range.
calls=(
  "overview|/api/analytics/overview?preset=30d"
  "series|/api/analytics/series?preset=30d"
  "funnel by platform|/api/analytics/funnel?preset=30d&by=platform"
  "breakdown by platform|/api/analytics/breakdown?preset=30d&by=platform"
  "breakdown by bot|/api/analytics/breakdown?preset=30d&by=bot"
  "unanswered|/api/analytics/unanswered?preset=30d&limit=10"
)
[ "$tz" = UTC ] || calls+=("series (UTC days)|/api/analytics/series?preset=30d&tz=UTC")

# start_plain_server DATABASE_URL: a fresh server, one user signed up (cookie, org_id).
start_plain_server() {
  local url="$1" reuse="${2:-}" port; port=$(free_port)
  [ -n "$keep_dir" ] && data_dir="$keep_dir/data" || data_dir="$work/data-$port"
  local args=(serve --listen "127.0.0.1:$port" --data-dir "$data_dir" --workers 0)
  [ -n "$url" ] && args+=(--database-url "$url")
  env -u OPENROUTER_API_KEY "$SB_BIN" "${args[@]}" >/dev/null 2>"$work/server-$port.log" &
  server_pid=$!
  pids+=("$server_pid")
  base="http://127.0.0.1:$port"
  server_log="$work/server-$port.log"
  wait_healthy "$base"
  local headers="$work/signup.headers" body
  local route=signup
  [ -n "$reuse" ] && route=signin
  body=$(curl -fs -D "$headers" -H 'Content-Type: application/json' \
    -d '{"email":"analytics@example.com","password":"benchmark password","name":"Analytics Bench"}' \
    "$base/api/auth/$route")
  cookie=$(grep -io 'sb_session=[^;]*' "$headers" | head -1)
  org_id=$(node -e "console.log(JSON.parse(process.argv[1]).organization.id)" "$body")
  local csrf; csrf=$(node -e "console.log(JSON.parse(process.argv[1]).csrf_token)" "$body")
  curl -fs -o /dev/null -X PATCH -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"time_zone\":\"$tz\"}" "$base/api/orgs/$org_id"
}

# rollup_mark COLUMN: the organisation's analytics_daily_until column (empty when none).
rollup_mark() {
  local sql="SELECT $1 FROM analytics_daily_until WHERE org_id = '$org_id'"
  if [ -n "$db_url" ]; then psql "$db_url" -Atc "$sql" 2>/dev/null || true
  else sqlite3 -readonly "$data_dir/switchboard.db" "$sql" 2>/dev/null || true; fi
}

# admin_cmd ARGS…: the switchboard binary on this run's data folder and database.
admin_cmd() {
  local extra=(--data-dir "$data_dir")
  [ -n "$db_url" ] && extra+=(--database-url "$db_url")
  "$SB_BIN" "$@" "${extra[@]}"
}

db_size() {
  if [ -n "$db_url" ]; then
    psql "$db_url" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))"
  else
    du -sh "$data_dir" | cut -f1
  fi
}

machine_line
echo "$conversations conversations over $days days (seed $seed); organisation's time zone $tz; dashboard calls: wrk -t1 -c$conns, ${secs}s each; server: serve --workers 0, billing off"
echo
seed_rows=()
call_rows=()
raw_rows=()
export_rows=()
notes=()
# keep_pg_start DIR: starts the kept cluster DIR/data (made by pg_durable_start) again; prints its URL.
keep_pg_start() {
  local dir="$1" port; port=$(free_port)
  pg_as_owner /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 120 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  echo "postgres://switchboard@127.0.0.1:$port/postgres"
}
keep_pg_stop() { pg_as_owner /usr/lib/postgresql/15/bin/pg_ctl -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true; }

for db in $databases; do
  db_url=""
  keep_dir=""; reuse=""; kept_pg=""
  if [ -n "${ANALYTICS_KEEP:-}" ]; then
    keep_dir="$ANALYTICS_KEEP/$db-$conversations"
    [ -f "$keep_dir/ready" ] && reuse=1 || { rm -rf "$keep_dir"; mkdir -p "$keep_dir"; }
  fi
  if [ "$db" = postgres ]; then
    if [ -n "$keep_dir" ]; then
      kept_pg="$keep_dir/pg"
      if [ -n "$reuse" ]; then keep_pg_stop "$kept_pg"; db_url=$(keep_pg_start "$kept_pg"); else db_url=$(pg_durable_start "$kept_pg"); fi
      pg_dir_for_cpu="$kept_pg"
    else
      pg_dir=$(mktemp -d /tmp/sb-bench-pg-XXXXXX)
      db_url=$(pg_durable_start "$pg_dir")
      pg_dir_for_cpu="$pg_dir"
    fi
  else
    pg_dir_for_cpu=""
  fi
  start_plain_server "$db_url" "$reuse"

  # Seeding, with the CPU it took (seed-demo itself; PostgreSQL's backends apart).
  if [ -n "$reuse" ]; then
    # A database seeded by an older binary (or migrated by this one) gets its daily rollup level
    # (ADR 0037 parts D and U) from the server's compaction task, which runs at start and after a
    # time zone change: wait until it reaches yesterday (UTC) and, in another zone, until the zone
    # days are at most a day behind (a build without them has no zone_until column).
    target=$(( ($(date +%s) / 86400 - 1) * 86400000 ))
    t0=$(date +%s.%N); until_ms=0
    for _ in $(seq 1 3600); do
      until_ms=$(rollup_mark until)
      if [ -n "$until_ms" ] && [ "$until_ms" -ge "$target" ]; then
        zone_ms=$(rollup_mark "CASE WHEN zone = '$tz' THEN zone_until ELSE 0 END")
        [ "$tz" = UTC ] || [ -z "$zone_ms" ] || [ "$zone_ms" -gt $((target - 25 * 3600000)) ] && break
      fi
      sleep 1
    done
    notes+=("$db: the reused database's daily level reached $(date -u -d "@$(( ${until_ms:-0} / 1000 ))" '+%Y-%m-%d') $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)") s after the server had signed in")
    seed_rows+=("| $db | $conversations | — | reused from $keep_dir (seeded $(date -u -r "$keep_dir/ready" '+%Y-%m-%d %H:%M UTC')) | — | — | — | — | — | — | $(db_size) | — |")
  else
  wait_quiet
  cpu_mark
  t0=$(date +%s.%N); pg0=$(pg_cpu_seconds "$pg_dir_for_cpu"); all0=$(system_busy_seconds); load0=$(cut -d' ' -f1 /proc/loadavg)
  TIMEFORMAT='%U %S'
  { time admin_cmd admin seed-demo --org "$org_id" --conversations "$conversations" --days "$days" --seed "$seed" \
      >"$work/seed-$db.out" 2>&1; } 2>"$work/seed-$db.time" || { cat "$work/seed-$db.out" >&2; exit 1; }
  t1=$(date +%s.%N); pg1=$(pg_cpu_seconds "$pg_dir_for_cpu"); all1=$(system_busy_seconds); load1=$(cut -d' ' -f1 /proc/loadavg)
  summary=$(grep "^Seeded organization" "$work/seed-$db.out" | tail -1)
  messages=$(grep -o '[0-9]* messages,' <<<"$summary" | head -1 | cut -d' ' -f1)
  insert_s=$(grep -o 'written in [0-9.e+-]* s' <<<"$summary" | awk '{print $3}')
  backfill_s=$(grep -o 'rebuilt in [0-9.e+-]* s' <<<"$summary" | awk '{print $3}')
  read -r cu cs <"$work/seed-$db.time"
  seed_rows+=("$(awk -v db="$db" -v n="$conversations" -v m="$messages" -v wall="$(echo "$t1 - $t0" | bc)" \
    -v ins="$insert_s" -v bf="$backfill_s" -v cpu="$(echo "$cu + $cs" | bc)" -v pg="$(echo "$pg1 - $pg0" | bc)" \
    -v other="$(echo "$all1 - $all0 - $cu - $cs - ($pg1 - $pg0)" | bc)" -v size="$(db_size)" -v l0="$load0" -v l1="$load1" 'BEGIN {
      printf "| %s | %d | %d | %.0f s | %.0f s | %.0f s | %.0f | %.0f s | %s | %s | %s | %s → %s |", db, n, m, wall, ins, bf, m / ins,
        cpu, (pg > 0 ? sprintf("%.0f s", pg) : "—"), sprintf("%.0f%%", 100 * (other > 0 ? other : 0) / wall), size, l0, l1 }')")
  [ -n "$keep_dir" ] && touch "$keep_dir/ready"
  fi

  # The dashboard's calls over HTTP.
  for entry in "${calls[@]}"; do
    label="${entry%%|*}"; path="${entry#*|}"
    status=$(curl -s -o "$work/warm.json" -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
    if [ "$status" != 200 ]; then
      call_rows+=("| $db | $label | \`$path\` | HTTP $status | — | — | — | — |")
      continue
    fi
    wait_quiet
    cpu_mark
    BENCH_COOKIE="$cookie" timed_wrk "$work/wrk.out" "$work/wrk.time" -t1 -c"$conns" -d"${secs}s" -s bench/analytics.lua "$base$path"
    cpu=$(cpu_columns "$work/wrk.time" | awk -F' [|] ' '{ print $1 " | " $5 }')
    read -r _ p50 p95 p99 n errors < <(grep '^ANALYTICS' "$work/wrk.out")
    [ "$label" = overview ] && overview_p50="$p50"
    call_rows+=("| $db | $label | \`$path\` | $p50 | $p95 | $p99 | $n ($errors not 2xx) | $cpu |")
  done

  # The same numbers from the raw tables, timed by the command itself.
  if admin_cmd admin analytics-check --help >/dev/null 2>&1; then
    TIMEFORMAT='%R'
    { time admin_cmd admin analytics-check --org "$org_id" --preset 30d >"$work/check-$db.json" 2>"$work/check-$db.err"; } 2>"$work/check-$db.time" &&
      check_status=0 || check_status=$?
    raw_rows+=("$(node -e '
      const [db, file, wall, p50, status] = process.argv.slice(1);
      let j = {}; try { j = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch (e) {}
      const t = j.timings_ms || j.timings || {};
      const raw = t.raw ?? t.raw_ms ?? j.raw_ms, rollups = t.rollups ?? t.rollups_ms ?? j.rollups_ms;
      const f = (v) => v === undefined ? "—" : Number(v).toFixed(1);
      const ratio = (a, b) => a === undefined || !b ? "—" : Math.round(a / b) + "×";
      console.log(`| ${db} | ${f(raw)} | ${f(rollups)} | ${ratio(raw, rollups)} | ${p50 || "—"} | ${ratio(raw, Number(p50))} | ${Number(wall).toFixed(1)} s | ${status === "0" ? "agree" : "DIFFER (exit " + status + ")"} |`);
    ' "$db" "$work/check-$db.json" "$(cat "$work/check-$db.time")" "${overview_p50:-}" "$check_status")")
  else
    raw_rows+=("| $db | — | — | — | ${overview_p50:-—} | — | — | no \`admin analytics-check\` in this build |")
  fi

  # CSV export (part C).
  for kind in conversations messages; do
    path="/api/analytics/export?kind=$kind&preset=30d"
    TIMEFORMAT='%R'
    status=$(curl -s -o "$work/export.csv" -w '%{http_code} %{time_total} %{size_download}' -H "Cookie: $cookie" "$base$path")
    read -r code took bytes <<<"$status"
    if [ "$code" = 200 ]; then
      rows=$(($(wc -l <"$work/export.csv") - 1))
      export_rows+=("$(awk -v db="$db" -v k="$kind" -v r="$rows" -v t="$took" -v b="$bytes" 'BEGIN {
        printf "| %s | %s | %d | %.2f s | %.0f | %.1f MiB |", db, k, r, t, r / t, b / 1048576 }')")
    else
      export_rows+=("| $db | $kind | HTTP $code (no export route in this build) | — | — | — |")
    fi
  done

  errors=$(grep -c '"level":"error"' "$server_log" || true)
  notes+=("$db: server log $errors errors; server RSS at the end $(rss_mib "$server_pid") MiB, peak $(peak_rss_mib "$server_pid") MiB; seed-demo said: $(grep -v '^[0-9]* / \|^{\|^  rollups: ' "$work/seed-$db.out" 2>/dev/null | tr '\n' ' ' | cut -c1-400 || true)")
  [ -s "$work/check-$db.err" ] && notes+=("$db: analytics-check said: $(head -c 300 "$work/check-$db.err")")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  if [ -n "$kept_pg" ]; then keep_pg_stop "$kept_pg"
  elif [ -n "$db_url" ]; then pg_durable_stop "$pg_dir"; pg_dir=""; fi
done

echo "### Seeding: \`switchboard admin seed-demo --conversations $conversations --days $days\`"
echo
echo "| database | conversations | messages | wall | rows written in | rollups rebuilt in | messages/s written | seed-demo CPU | PostgreSQL CPU | other CPU | size on disk | load average before → after |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${seed_rows[@]}"
echo
echo "### Dashboard calls, 30 days (ms)"
echo
echo "| database | call | request | p50 | p95 | p99 | requests | server CPU | other CPU |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${call_rows[@]}"
echo
echo "### The same answers from the raw tables: \`switchboard admin analytics-check --preset 30d\`"
echo
echo "| database | raw ms | rollups ms (in the command) | × | overview p50 over HTTP ms | raw ÷ HTTP p50 | command's wall time | rollups vs raw |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${raw_rows[@]}"
echo
echo "### CSV export, 30 days"
echo
echo "| database | kind | rows | time | rows/s | size |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${export_rows[@]}"
echo
for n in "${notes[@]}"; do echo "- $n"; done
