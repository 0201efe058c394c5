# Shared helpers for the messaging benchmarks (bench/ingest.sh, bench/e2e.sh, bench/chaos/run.sh).
# Source it after `cd` to the repository root, then call bench_scratch NAME.
#
# Binaries: build/switchboard and build/fake_platforms, or $SB_BIN / $FAKE_BIN (e.g. a copy taken
# before someone else rebuilds build/ in the middle of a run).
SB_BIN="${SB_BIN:-build/switchboard}"
FAKE_BIN="${FAKE_BIN:-build/fake_platforms}"
NOOP_BIN="${NOOP_BIN:-build/noop_server}"

# bench_scratch NAME: a scratch folder $work, the processes to stop ($pids, server_pid among them)
# and the throwaway PostgreSQL ($pg_dir), all cleaned up when the script ends; KEEP_WORK=1 keeps
# the folder (database, logs) for a look afterwards.
bench_scratch() {
  work=$(mktemp -d "/tmp/$1-XXXXXX")
  pg_dir=""
  pids=()
  server_pid=""
  server_env=()  # extra VAR=value for start_switchboard (e.g. an OpenRouter key and base URL)
  trap bench_cleanup EXIT
  trap "exit 130" INT TERM
}
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$pg_dir" ] && pg_durable_stop "$pg_dir"
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# A throwaway PostgreSQL 15 with its durable defaults (fsync on, synchronous_commit on,
# full_page_writes on) — unlike scripts/postgres.sh, which turns fsync off for fast tests.
# pg_durable_start DIR prints its URL; pg_durable_stop DIR stops it and removes DIR.
pg_as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_durable_start() {
  local dir="$1" bin=/usr/lib/postgresql/15/bin port
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(free_port)
  pg_as_owner "$bin/initdb" -D "$dir/data" -A trust -U switchboard -E UTF8 >"$dir/initdb.log" 2>&1
  local extra=""
  # BENCH_PG_STATEMENTS=1: pg_stat_statements loaded (where PostgreSQL's time goes; see pg_top_statements).
  [ "${BENCH_PG_STATEMENTS:-0}" = 1 ] &&
    extra=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c track_io_timing=on"
  pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200$extra" start >/dev/null
  local url="postgres://switchboard@127.0.0.1:$port/postgres"
  [ -n "$extra" ] && psql "$url" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  echo "$url"
}
# With BENCH_PG_STATEMENTS=1: pg_reset_statements URL forgets what was counted so far;
# pg_top_statements URL [N] prints the N (8) statements that took most of PostgreSQL's time since,
# as "total ms | calls | µs per call | rows per call | statement (first 110 characters)".
pg_reset_statements() {
  [ "${BENCH_PG_STATEMENTS:-0}" = 1 ] || return 0
  psql "$1" -qAtc "SELECT pg_stat_statements_reset()" >/dev/null
}
pg_top_statements() {
  [ "${BENCH_PG_STATEMENTS:-0}" = 1 ] || return 0
  psql "$1" -qAt -F ' | ' -c "SELECT round(total_exec_time)::bigint, calls,
      round((total_exec_time / greatest(calls, 1) * 1000)::numeric, 1), round(rows::numeric / greatest(calls, 1), 1),
      left(regexp_replace(query, '\s+', ' ', 'g'), 110)
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${2:-8}"
}
pg_durable_stop() {
  local dir="$1"
  [ -d "$dir/data" ] && pg_as_owner /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$dir"
}
pg_setting() {  # pg_setting URL NAME → the server's value (to print what a run really used)
  psql "$1" -Atc "SHOW $2" 2>/dev/null
}

# started_url NAME: waits (up to 5 s) for the URL a helper started with `>"$work/NAME.url"` prints
# on its first line, and prints it; exits when none came.
started_url() {
  for _ in $(seq 100); do [ -s "$work/$1.url" ] && break; sleep 0.05; done
  local url; url=$(head -1 "$work/$1.url" 2>/dev/null)
  [ -n "$url" ] || { echo "$1 did not start" >&2; exit 1; }
  echo "$url"
}

# Starts build/fake_platforms on a free port; sets fake_root and fake_pid (added to pids).
# start_fake --inline: the fake answers on its I/O thread, with no hand-off to a pool (for loads
# that script no delay; it shares the cores with the server, so its cost shows in every figure).
start_fake() {
  "$FAKE_BIN" 0 "$@" >"$work/fake.url" 2>"$work/fake.log" &
  fake_pid=$!
  pids+=("$fake_pid")
  fake_root=$(started_url fake) || exit 1
}

# start_switchboard DATABASE_URL INTEGRATIONS [serve flags…]: a fresh server ("" for SQLite) on a
# free port, without OPENROUTER_API_KEY unless $server_env (VAR=value words) sets one, with its own data folder in $work, answering Telegram through the fake (start_fake
# first), set up through the API by bench/lib/setup.mjs with INTEGRATIONS Telegram integrations
# (their ids and secrets in $work/targets). Sets server_pid (added to pids), base, server_log,
# cookie and rate_limits (what setup.mjs could set).
# BENCH_BILLING=on (default off): billing on (`--billing on`), and once set up the organisation is
# put on the paid Business plan (`switchboard admin set-plan`), so every message checks its
# entitlements and is counted against its monthly quota. A plans file lifts the limits the
# benchmark would reach (bots, integrations, members; 10^12 messages a month), on Free too, since the
# setup creates its integrations before the plan is set.
# BENCH_ROLLUPS=off (default on): the analytics rollups are not kept (`--analytics-rollups off`,
# issue 21), to measure what they cost the message path.
start_switchboard() {
  local url="$1" integrations="$2"; shift 2
  local port; port=$(free_port)
  local args=(serve --listen "127.0.0.1:$port" --data-dir "$work/data-$port" "$@")
  [ -n "$url" ] && args+=(--database-url "$url")
  if [ "${BENCH_BILLING:-off}" = on ]; then
    local big='"limits": {"bots": null, "integrations": null, "members": null, "messages_per_month": 1000000000000}'
    echo "[{\"key\": \"free\", $big}, {\"key\": \"business\", $big}]" >"$work/plans.json"
    args+=(--billing on --plans-file "$work/plans.json")
  fi
  if [ "${BENCH_ROLLUPS:-on}" = off ]; then args+=(--analytics-rollups off); fi
  env -u OPENROUTER_API_KEY SWITCHBOARD_TELEGRAM_API_BASE="$fake_root/telegram" "${server_env[@]}" \
    "$SB_BIN" "${args[@]}" >/dev/null 2>"$work/server-$port.log" &
  server_pid=$!
  pids+=("$server_pid")
  base="http://127.0.0.1:$port"
  server_log="$work/server-$port.log"
  wait_healthy "$base"
  local setup; setup=$(node bench/lib/setup.mjs "$base" "$fake_root" "$integrations" "$work/targets")
  cookie=$(node -e "console.log(JSON.parse(process.argv[1]).cookie)" "$setup")
  rate_limits=$(node -e "console.log(JSON.parse(process.argv[1]).rate_limits)" "$setup")
  if [ "${BENCH_BILLING:-off}" = on ]; then
    local org; org=$(node -e "console.log(JSON.parse(process.argv[1]).org_id)" "$setup")
    local admin=(admin set-plan --data-dir "$work/data-$port" --org "$org" --plan business)
    [ -n "$url" ] && admin+=(--database-url "$url")
    "$SB_BIN" "${admin[@]}" >/dev/null
    sleep 6  # the server's cached entitlements (5 s) make way for the new plan
    curl -fs -H "Cookie: $cookie" "$base/api/billing" |
      node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const b=JSON.parse(s);if(!b.enabled||b.plan.key!=='business')throw new Error('billing not on Business: '+s)})"
  fi
}

# wait_healthy BASE_URL [tries of 0.1 s]
wait_healthy() {
  for _ in $(seq "${2:-200}"); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server at $1 did not answer /healthz" >&2
  return 1
}

# Prints what wrk said as "rps p50 p99 non2xx requests"; p50/p99 are normalised to milliseconds.
wrk_fields() {
  awk '
    function ms(v) { if (v ~ /us$/) return sprintf("%.2f", v/1000); if (v ~ /ms$/) return sprintf("%.2f", v+0);
                     if (v ~ /m$/) return sprintf("%.0f", v*60000); if (v ~ /s$/) return sprintf("%.0f", v*1000); return v }
    /^Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { non = $NF }
    / requests in / { n = $1 }
    /Socket errors/ { err = $0 }
    END { printf "%s %s %s %s %s\n", rps, p50, p99, (non == "" ? 0 : non), n }' <<<"$1"
}

# timed_wrk OUT_FILE TIME_FILE wrk-arguments…: runs wrk, its report in OUT_FILE, its CPU time
# ("user system" seconds) in TIME_FILE.
timed_wrk() {
  local out="$1" tf="$2"; shift 2
  local TIMEFORMAT='%U %S'
  { time wrk "$@" >"$out" 2>>"$work/wrk.err"; } 2>"$tf"
}

# CPU time (seconds, user+system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU ticks per thread of a process, by thread name with its number dropped ("sb-worker-3" →
# "sb-worker"): "name ticks" lines. thread_cpu_per BEFORE AFTER UNITS prints, from two of them,
# "name µs, …" per unit of work (a reply, a delivery), largest first.
thread_cpu() {
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(sed -E 's/-?[0-9]+$//' "$t/comm" 2>/dev/null)" "$(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null)"
  done | awk '$2 != "" { n[$1] += $2 } END { for (k in n) print k, n[k] }' | sort
}
thread_cpu_per() {
  join "$1" "$2" | awk -v n="$3" -v hz="$(getconf CLK_TCK)" '{ d = ($3 - $2) / hz * 1e6 / n; if (d >= 0.5) printf "%s %.0f\n", $1, d }' |
    sort -k2 -n -r | awk '{ printf "%s%s %s µs", (NR > 1 ? ", " : ""), $1, $2 } END { print "" }'
}
# CPU time (seconds) of a PostgreSQL started by pg_durable_start DIR: the postmaster with its
# finished children, and the backends running now. 0 when DIR is empty (SQLite runs in the server).
pg_cpu_seconds() {
  local dir="$1" pm
  [ -n "$dir" ] && [ -f "$dir/data/postmaster.pid" ] || { echo 0; return; }
  pm=$(head -1 "$dir/data/postmaster.pid")
  { cat "/proc/$pm/stat"; for c in $(ps -o pid= --ppid "$pm"); do cat "/proc/$c/stat" 2>/dev/null; done; } |
    awk -v hz="$(getconf CLK_TCK)" -v pm="$pm" '{ t += $14 + $15; if ($1 == pm) t += $16 + $17 } END { printf "%.2f", t / hz }'
}
# CPU time (seconds) all processes of the machine have used so far (user, nice, system, irq, softirq, steal):
# the difference over a run, minus the server's, wrk's and the fake's, is what other work took meanwhile.
system_busy_seconds() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
# CPU bookkeeping around one load: cpu_mark before it, then cpu_columns WRK_TIME_FILE after it prints
# "server | PostgreSQL | wrk | fake | other" as % of one core over the time in between ("—" for
# PostgreSQL on SQLite). Uses $server_pid, $fake_pid and $pg_dir; other = the rest of the machine.
cpu_mark() {
  mark_t=$(date +%s.%N); mark_server=$(cpu_seconds "$server_pid"); mark_fake=$(cpu_seconds "$fake_pid")
  mark_pg=$(pg_cpu_seconds "$pg_dir"); mark_all=$(system_busy_seconds)
}
cpu_columns() {
  awk -v t0="$mark_t" -v t1="$(date +%s.%N)" -v c0="$mark_server" -v c1="$(cpu_seconds "$server_pid")" \
      -v f0="$mark_fake" -v f1="$(cpu_seconds "$fake_pid")" -v d0="$mark_pg" -v d1="$(pg_cpu_seconds "$pg_dir")" \
      -v y0="$mark_all" -v y1="$(system_busy_seconds)" '{
    s = t1 - t0; c = c1 - c0; f = f1 - f0; d = d1 - d0; w = $1 + $2
    o = (y1 - y0) - c - f - d - w; if (o < 0) o = 0
    printf "%.0f%% | %s | %.0f%% | %.0f%% | %.0f%%\n", 100 * c / s, (d > 0 ? sprintf("%.0f%%", 100 * d / s) : "—"),
           100 * w / s, 100 * f / s, 100 * o / s }' "$1"
}

# The server's CPU over the fake platform's, from cpu_columns' output. The fake does the same work
# for every reply, so its CPU per reply measures how fast the machine ran meanwhile: on these shared
# cores it moves by ±15% from run to run, and replies/s with it. This ratio moves by a few percent.
yardstick() {
  awk -F' [|] ' '{ gsub(/%/, ""); if ($4 > 0) printf "%.2f\n", $1 / $4; else print "—" }' <<<"$1"
}

# wait_quiet: when BENCH_QUIET is set, waits (at most BENCH_QUIET_WAIT seconds, default 300) until
# the machine as a whole uses less than BENCH_QUIET percent of one core over a second, so that a run
# starts on an idle machine (call it while the server under test is idle).
wait_quiet() {
  [ -n "${BENCH_QUIET:-}" ] || return 0
  local limit="${BENCH_QUIET_WAIT:-300}"
  local end=$((SECONDS + limit)) a b
  while [ "$SECONDS" -lt "$end" ]; do
    a=$(system_busy_seconds); sleep 1; b=$(system_busy_seconds)
    if awk -v a="$a" -v b="$b" -v q="$BENCH_QUIET" 'BEGIN { exit !((b - a) * 100 < q) }'; then return 0; fi
  done
  echo "wait_quiet: the machine is still busy after $limit s; measuring anyway" >&2
  return 0
}
# Peak resident memory of a running process, MiB.
peak_rss_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# A metric's value from /metrics (sum over labels).
metric() { curl -fs "$1/metrics" | awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%.0f", s }'; }

machine_line() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg); $("$SB_BIN" --version 2>/dev/null | head -1)"
}
