#!/usr/bin/env bash
# AI replies at scale (issue 18): how fast replies come when every one needs the model, with
# build/fake_openrouter answering after a fixed latency (its waits are timers: it is never the bottleneck,
# and it reports the most calls it had in flight at once — the engine's real concurrency).
#
#  (a) platforms: for each L:N of AI_PLATFORM_RUNS, N distinct Telegram deliveries (bench/lib/deliver.mjs,
#      AI_DELIVERY_CONNECTIONS kept-alive connections, round-robin over AI_INTEGRATIONS integrations, one
#      chat each) to a fresh server whose bot answers through the model (latency L); replies are counted
#      at build/fake_platforms. Reported: the time from the first delivery to the last reply reaching the
#      platform, replies/s, the floor (L plus the time to ingest N), and whether each delivery got
#      exactly one reply.
#  (b) web chat at AI_WEBCHAT_CONNECTIONS: wrk on POST /widget/:key/messages (bench/webchat.lua) for
#      AI_WEBCHAT_SECONDS, first with templates only (no OpenRouter key: the reference rate, measured in
#      the same run), then with the model at AI_WEBCHAT_LATENCY_MS (JSON answers), then streamed
#      (bench/lib/webchat_ai.mjs: Accept: text/event-stream, the fake's first token after L, then one
#      word every 10 ms): messages/s against min(C / L, the template rate), time to first token p50/p95
#      against L + 20 ms, server peak memory.
#  (c) memory: a fresh server's RSS with no call in flight, then with AI_MEMORY_CALLS calls in flight
#      (deliveries whose model takes a minute); the difference per call.
#  (d) fairness: with the default --ai-in-flight and --ai-in-flight-per-org, one organisation's web chat
#      gets AI_FAIR_BIG messages at once and, once the server holds them all, another's gets AI_FAIR_SMALL; L =
#      AI_FAIR_LATENCY_MS. Reported: the small organisation's slowest reply against 2 × L.
#
# Bounds that protect production but would hide the engine are raised in (a)-(c), and the output says
# which: web chat limits per visitor, deployment and address; the queue bound; integrations' send rates
# (to the platform's maximum); --ai-in-flight / --ai-in-flight-per-org (to at least N and C).
#
# Usage: bench/ai.sh
# Environment: AI_PARTS ("platforms webchat memory fairness"), AI_PLATFORM_RUNS ("1000:2000 5000:5000"),
# AI_INTEGRATIONS (20), AI_DELIVERY_CONNECTIONS (64), AI_WEBCHAT_LATENCY_MS (200), AI_WEBCHAT_CONNECTIONS (256),
# AI_WEBCHAT_SECONDS (10), AI_STREAM_LIGHT_CONNECTIONS (32), AI_MEMORY_CALLS (2000), AI_FAIR_BIG (2000), AI_FAIR_SMALL (20), AI_FAIR_LATENCY_MS
# (1000), AI_TIMEOUT_S (300: how long (a) waits for the last reply), BENCH_QUIET, SB_BIN, FAKE_BIN,
# FAKE_AI_BIN (build/fake_openrouter).
set -euo pipefail
cd "$(dirname "$0")/.."
parts="${AI_PARTS:-platforms webchat memory fairness}"
platform_runs="${AI_PLATFORM_RUNS:-1000:2000 5000:5000}"
integrations="${AI_INTEGRATIONS:-20}"
delivery_conns="${AI_DELIVERY_CONNECTIONS:-64}"
web_latency="${AI_WEBCHAT_LATENCY_MS:-200}"
web_conns="${AI_WEBCHAT_CONNECTIONS:-256}"
memory_calls="${AI_MEMORY_CALLS:-2000}"
fair_big="${AI_FAIR_BIG:-2000}"
fair_small="${AI_FAIR_SMALL:-20}"
fair_latency="${AI_FAIR_LATENCY_MS:-1000}"
web_secs="${AI_WEBCHAT_SECONDS:-10}"
light_conns="${AI_STREAM_LIGHT_CONNECTIONS:-32}"
timeout_s="${AI_TIMEOUT_S:-300}"
FAKE_AI_BIN="${FAKE_AI_BIN:-build/fake_openrouter}"
answer_text="A considered answer from the fake model."
source bench/lib/common.sh
if [[ " $parts " == *" webchat "* ]] && ! command -v wrk >/dev/null; then
  echo "bench/ai.sh: the web chat part needs wrk (scripts/install-deps.sh bench)" >&2
  exit 1
fi
bench_scratch sb-bench-ai

"$FAKE_AI_BIN" --latency-ms 1000 --content "$answer_text" >"$work/ai.url" 2>"$work/ai.log" &
ai_pid=$!
pids+=("$ai_pid")
ai_url=$(started_url ai) || exit 1
ai_root="${ai_url%/api/v1}"
ai_script() {  # ai_script LATENCY_MS [stream]: every next call answers after LATENCY_MS; a stream's first token then, a word every 10 ms
  local delay="$1" first=0
  [ "${2:-}" = stream ] && { delay=0; first="$1"; }
  curl -fs -X POST -H 'Content-Type: application/json' "$ai_root/_control/answers" \
    -d "{\"answers\":[{\"delay_ms\":$delay,\"first_token_ms\":$first,\"token_ms\":10,\"content\":\"$answer_text\"}]}" >/dev/null
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
}
ai_stat() { curl -fs "$ai_root/_control/stats" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[process.argv[1]]))" "$1"; }
json_field() { node -e "const v=JSON.parse(process.argv[1])[process.argv[2]];console.log(v===null||v===undefined?'—':v)" "$1" "$2"; }

# The engine's own bounds, raised in (a)-(c) to at least N and C; (d) keeps the defaults.
most_n=$memory_calls
for run in $platform_runs; do n="${run#*:}"; [ "$n" -gt "$most_n" ] && most_n=$n; done
in_flight=$(( most_n > web_conns ? most_n : web_conns ))
engine_flags=(--ai-in-flight "$in_flight" --ai-in-flight-per-org "$in_flight")
web_limits=(--webchat-visitor-limit 1000000 --webchat-deployment-limit 100000000 --webchat-address-limit 100000000)

machine_line
echo "fake OpenRouter: $FAKE_AI_BIN (timers; reports its peak calls in flight); other settings: the server's defaults"
echo "- raised in (a)-(c): web chat: ${web_limits[*]}; jobs: --queue-bound 1000000000; ${engine_flags[*]}"
echo "- (d) keeps the defaults --ai-in-flight 1024 --ai-in-flight-per-org 64 (raising only the web chat limits)"

secs() { awk -v ms="$1" 'BEGIN { if (ms == "—") print "—"; else printf "%.1f", ms / 1000 }'; }
if [[ " $parts " == *" platforms "* ]]; then
  rows=()
  for run in $platform_runs; do
    platform_latency="${run%%:*}"; deliveries="${run#*:}"
    start_fake --inline
    ai_script "$platform_latency"
    server_env=(OPENROUTER_API_KEY=sk-or-bench OPENROUTER_BASE_URL="$ai_url")
    start_switchboard "" "$integrations" --queue-bound 1000000000 "${engine_flags[@]}"
    [ ${#rows[@]} -eq 0 ] && echo "- raised: integrations' send rates: $rate_limits"
    curl -fs -X POST "$ai_root/_control/reset" >/dev/null
    wait_quiet
    result=$(EXPECT_TEXT="$answer_text" node bench/lib/deliver.mjs "$base" "$fake_root" "$work/targets" "$deliveries" \
      "$delivery_conns" "$timeout_s")
    calls=$(ai_stat calls); peak=$(ai_stat max_in_flight)
    accepted=$(json_field "$result" accepted); non2xx=$(json_field "$result" non2xx)
    ingest_ms=$(json_field "$result" ingest_ms); last_ms=$(json_field "$result" last_reply_ms)
    first_ms=$(json_field "$result" first_reply_ms)
    matched=$(json_field "$result" matched); dups=$(json_field "$result" duplicates); missing=$(json_field "$result" missing)
    unexpected=$(json_field "$result" unexpected); other=$(json_field "$result" other_text)
    rate=$(awk -v n="$matched" -v ms="$last_ms" 'BEGIN { if (ms + 0 > 0) printf "%.0f", n * 1000 / ms; else print "—" }')
    floor=$(awk -v l="$platform_latency" -v i="$ingest_ms" 'BEGIN { printf "%.1f", (l + i) / 1000 }')
    case "$run" in 1000:2000) target="target 2.5" ;; 5000:5000) target="target 7.5" ;; *) target="no target" ;; esac
    if [ "$matched" = "$deliveries" ] && [ "$dups" = 0 ] && [ "$unexpected" = 0 ]; then
      verdict="yes: $deliveries replies, none twice"
    else
      verdict="NO: $matched of $deliveries answered, $missing missing, $dups duplicates, $unexpected unexpected"
    fi
    rows+=("| $platform_latency | $deliveries | $accepted (non-2xx $non2xx) | $(secs "$ingest_ms") | $(secs "$first_ms") | **$(secs "$last_ms")** ($target) | $rate | $floor | $calls | $peak | $other | $verdict | $(peak_rss_mib "$server_pid") MiB |")
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true
    server_env=()
  done
  echo
  echo "(a) platforms: N distinct signed Telegram deliveries, $delivery_conns kept-alive connections over $integrations integrations; the bot answers through the model (latency L); SQLite; 'first reply' is polled every 50 ms while deliveries still go out"
  echo
  echo "| L ms | N | accepted | ingest s | first reply s | last reply s | replies/s | floor s (L + ingest) | model calls | peak model calls in flight | replies not from the model | exactly one reply each | server peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in "${rows[@]}"; do echo "$r"; done
fi

# web_server MODE FLAGS...: a fresh server (templates: no OpenRouter key; ai: the fake) → web_pid, web_base
web_server() {
  local mode="$1" port env_args=(env -u OPENROUTER_API_KEY); shift
  port=$(free_port)
  [ "$mode" = ai ] && env_args=(env OPENROUTER_API_KEY=sk-or-bench OPENROUTER_BASE_URL="$ai_url")
  "${env_args[@]}" "$SB_BIN" serve --listen "127.0.0.1:$port" --data-dir "$work/web-$port" --log-level warn \
    "${web_limits[@]}" "$@" >/dev/null 2>"$work/web-$port.log" &
  web_pid=$!
  pids+=("$web_pid")
  web_base="http://127.0.0.1:$port"
  web_log="$work/web-$port.log"
  wait_healthy "$web_base"
}
# web_deployment BASE EMAIL → the web chat key of a new account's bot (a template for opening hours)
web_deployment() {
  local b="$1" jar; jar="$work/jar-$RANDOM$RANDOM"
  local session csrf tpl bot
  session=$(curl -fs -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"benchmark password\",\"name\":\"Bench\"}" "$b/api/auth/signup")
  csrf=$(node -e "console.log(JSON.parse(process.argv[1]).csrf_token)" "$session")
  local h=(-fs -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf")
  local id_of='let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(v.id||v.key)})'
  tpl=$(curl "${h[@]}" -d '{"name":"Hours","trigger_phrases":["opening hours"],"body":"We are open 9 to 5, {{user_name}}."}' \
    "$b/api/templates" | node -e "$id_of")
  bot=$(curl "${h[@]}" -d "{\"name\":\"Shop\",\"template_ids\":[\"$tpl\"]}" "$b/api/bots" | node -e "$id_of")
  curl "${h[@]}" -d "{\"bot_id\":\"$bot\",\"channel\":\"webchat\"}" "$b/api/deployments" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))'
}
stop_web() { kill "$web_pid"; wait "$web_pid" 2>/dev/null || true; }
# wrk_run KEY → "rps p50 p99 non2xx requests"
wrk_run() {
  local out
  # 2,000 server-signed visitor tokens for webchat.lua (a client may no longer choose its visitor id).
  node bench/lib/visitor_tokens.mjs "$web_base" "$1" >"$work/webchat-tokens"
  out=$(WEBCHAT_TOKENS="$work/webchat-tokens" wrk -t1 -c"$web_conns" -d"${web_secs}s" --latency -s bench/webchat.lua "$web_base/widget/$1/messages" 2>>"$work/wrk.err")
  wrk_fields "$out"
}

if [[ " $parts " == *" webchat "* ]]; then
  web_server templates "${engine_flags[@]}"
  key=$(web_deployment "$web_base" bench@example.com)
  wait_quiet
  read -r t_rps t_p50 t_p99 t_non t_n <<<"$(wrk_run "$key")"
  t_rss=$(peak_rss_mib "$web_pid")
  stop_web

  ai_script "$web_latency"
  web_server ai "${engine_flags[@]}"
  key=$(web_deployment "$web_base" bench@example.com)
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
  wait_quiet
  read -r a_rps a_p50 a_p99 a_non a_n <<<"$(wrk_run "$key")"
  a_calls=$(ai_stat calls); a_peak=$(ai_stat max_in_flight); a_rss=$(peak_rss_mib "$web_pid")
  grep -h '"level":"error"' "$web_log" | head -3 >&2 || true
  stop_web

  ai_script "$web_latency" stream
  web_server ai "${engine_flags[@]}"
  key=$(web_deployment "$web_base" bench@example.com)
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
  wait_quiet
  cpu_a=$(cpu_seconds "$web_pid"); fake_a=$(cpu_seconds "$ai_pid")
  streamed=$(node bench/lib/webchat_ai.mjs stream "$web_base" "$key" "$web_conns" "$web_secs")
  s_cpu=$(awk -v a="$cpu_a" -v b="$(cpu_seconds "$web_pid")" -v s="$web_secs" 'BEGIN { printf "%.0f%%", (b - a) * 100 / s }')
  s_fake=$(awk -v a="$fake_a" -v b="$(cpu_seconds "$ai_pid")" -v s="$web_secs" 'BEGIN { printf "%.0f%%", (b - a) * 100 / s }')
  s_calls=$(ai_stat calls); s_peak=$(ai_stat max_in_flight); s_rss=$(peak_rss_mib "$web_pid")
  # The same at a load that leaves the machine idle part of the time: the engine's own delay.
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
  wait_quiet
  light=$(node bench/lib/webchat_ai.mjs stream "$web_base" "$key" "$light_conns" "$web_secs")
  l_calls=$(ai_stat calls); l_peak=$(ai_stat max_in_flight)
  grep -h '"level":"error"' "$web_log" | head -3 >&2 || true
  stop_web
  s_rps=$(json_field "$streamed" per_second); s_p50=$(json_field "$streamed" ttft_p50_ms)
  s_p95=$(json_field "$streamed" ttft_p95_ms); s_max=$(json_field "$streamed" ttft_max_ms)
  s_non=$(json_field "$streamed" non2xx); s_none=$(json_field "$streamed" no_token)
  l_rps=$(json_field "$light" per_second); l_p50=$(json_field "$light" ttft_p50_ms)
  l_p95=$(json_field "$light" ttft_p95_ms); l_max=$(json_field "$light" ttft_max_ms)
  l_non=$(json_field "$light" non2xx); l_none=$(json_field "$light" no_token)

  yard=$(awk -v c="$web_conns" -v l="$web_latency" -v t="$t_rps" 'BEGIN { m = c * 1000 / l; if (t < m) m = t; printf "%.0f", m }')
  ratio() { awk -v a="$1" -v y="$yard" 'BEGIN { if (y > 0) printf "%.2f", a / y; else print "—" }'; }
  echo
  echo "(b) web chat: $web_conns connections for ${web_secs}s on POST /widget/:key/messages, a new visitor each message; SQLite; L = $web_latency ms; streamed: the fake's first token after L, then a word every 10 ms (6 words)"
  echo
  echo "| replies from | messages/s | × min(C / L, template rate) = $yard/s | p50 ms | p99 ms | non-2xx | model calls | peak model calls in flight | first token p50 / p95 / max ms (target p95 ≤ $((web_latency + 20))) | server peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  echo "| templates (no key): the reference | $t_rps | — | $t_p50 | $t_p99 | $t_non | 0 | 0 | — | $t_rss MiB |"
  echo "| fake OpenRouter, JSON answers (wrk) | **$a_rps** | **$(ratio "$a_rps")** | $a_p50 | $a_p99 | $a_non | $a_calls | $a_peak | — | $a_rss MiB |"
  echo "| fake OpenRouter, streamed (node client) | **$s_rps** | **$(ratio "$s_rps")** | — | — | $s_non | $s_calls | $s_peak | **$s_p50 / $s_p95 / $s_max** ($s_none without a token); CPU: server $s_cpu, fake $s_fake, client $(json_field "$streamed" client_cpu_pct)% | $s_rss MiB |"
  echo "| fake OpenRouter, streamed, $light_conns connections | $l_rps | — | — | — | $l_non | $l_calls | $l_peak | **$l_p50 / $l_p95 / $l_max** ($l_none without a token) | — |"
fi

if [[ " $parts " == *" fairness "* ]]; then
  ai_script "$fair_latency"
  web_server ai
  big_key=$(web_deployment "$web_base" big@example.com)
  small_key=$(web_deployment "$web_base" small@example.com)
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
  wait_quiet
  fair=$(node bench/lib/webchat_ai.mjs fair "$web_base" "$big_key" "$small_key" "$fair_big" "$fair_small")
  f_peak=$(ai_stat max_in_flight)
  stop_web
  f_max=$(json_field "$fair" small_max_ms)
  echo
  echo "(d) fairness: default bounds (1024 in flight, 64 per organisation); one organisation's web chat gets $fair_big messages at once, another's $fair_small once the server holds the burst (all accepted, 64 in flight, the rest waiting); L = $fair_latency ms; JSON answers"
  echo
  echo "| small sent after ms | small organisation: p50 / slowest reply ms (target ≤ $((2 * fair_latency))) | big organisation: last reply ms | AI replies big / small | non-2xx | peak model calls in flight |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| $(json_field "$fair" small_after_ms) | **$(json_field "$fair" small_p50_ms) / $f_max** | $(json_field "$fair" big_last_ms) | $(json_field "$fair" big_ai) / $(json_field "$fair" small_ai) | $(json_field "$fair" non2xx) | $f_peak |"
fi

# Last: its calls wait at the fake for a minute after the server is gone.
if [[ " $parts " == *" memory "* ]]; then
  start_fake --inline
  ai_script 60000
  server_env=(OPENROUTER_API_KEY=sk-or-bench OPENROUTER_BASE_URL="$ai_url")
  start_switchboard "" "$integrations" --queue-bound 1000000000 "${engine_flags[@]}"
  wait_quiet
  rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
  idle_kb=$(rss_kb "$server_pid")
  node bench/lib/deliver.mjs "$base" "$fake_root" "$work/targets" "$memory_calls" "$delivery_conns" 90 >/dev/null &
  deliver_pid=$!
  pids+=("$deliver_pid")
  for _ in $(seq 1 600); do
    [ "$(metric "$base" switchboard_ai_calls_in_flight)" -ge "$memory_calls" ] && break
    sleep 0.1
  done
  sleep 1
  busy_in_flight=$(metric "$base" switchboard_ai_calls_in_flight)
  busy_kb=$(rss_kb "$server_pid")
  per_call=$(awk -v a="$idle_kb" -v b="$busy_kb" -v n="$busy_in_flight" 'BEGIN { if (n > 0) printf "%.1f", (b - a) / n; else print "—" }')
  kill "$deliver_pid" 2>/dev/null || true; wait "$deliver_pid" 2>/dev/null || true
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true
  server_env=()
  echo
  echo "(c) memory: a fresh server (SQLite, $integrations Telegram integrations), then $memory_calls deliveries whose model answers after 60 s"
  echo
  echo "| RSS, no call in flight | RSS, calls in flight | calls in flight | per call in flight (target ≤ 40 KB) |"
  echo "| --- | --- | --- | --- |"
  echo "| $((idle_kb / 1024)) MiB | $((busy_kb / 1024)) MiB | $busy_in_flight | **$per_call KB** (everything the deliveries added: stored jobs, parked batches, calls) |"
fi

