#!/usr/bin/env bash
# AI replies at scale (issue 18): how fast replies come when every one needs the model, with
# build/fake_openrouter answering after a fixed latency (its waits are timers: it is never the bottleneck,
# and it reports the most calls it had in flight at once — the engine's real concurrency).
#
#  (a) platforms: N distinct signed Telegram deliveries (bench/lib/deliver.mjs, AI_DELIVERY_CONNECTIONS at
#      a time, round-robin over AI_INTEGRATIONS integrations, one chat each) to a fresh server whose bot
#      answers through the model (latency AI_PLATFORM_LATENCY_MS); replies are counted at
#      build/fake_platforms. Reported: the time from the first delivery to the last reply reaching the
#      platform, replies/s, the floor (L plus the time to ingest N), and whether each delivery got
#      exactly one reply.
#  (b) web chat: wrk -cC on POST /widget/:key/messages (bench/webchat.lua) for AI_WEBCHAT_SECONDS,
#      first with templates only (no OpenRouter key: the reference rate, measured in the same run),
#      then with the model at AI_WEBCHAT_LATENCY_MS. Reported: messages/s and its ratio to
#      min(C / L, the template rate), the issue's yardstick.
#
# Bounds that protect production but would hide the engine are raised, and the output says which:
# web chat limits per visitor, deployment and address; the queue bound; integrations' send rates (to
# the platform's maximum, when the rate-limits route exists); --ai-in-flight / --ai-in-flight-per-org
# (to at least N and C) only when this build knows them.
#
# Usage: bench/ai.sh
# Environment: AI_PARTS ("platforms webchat"), AI_PLATFORM_LATENCY_MS (1000), AI_DELIVERIES (200),
# AI_INTEGRATIONS (20), AI_DELIVERY_CONNECTIONS (64), AI_WEBCHAT_LATENCY_MS (200), AI_WEBCHAT_CONNECTIONS (64),
# AI_WEBCHAT_SECONDS (10), AI_TIMEOUT_S (300: how long (a) waits for the last reply), BENCH_QUIET,
# SB_BIN, FAKE_BIN, FAKE_AI_BIN (build/fake_openrouter).
set -euo pipefail
cd "$(dirname "$0")/.."
parts="${AI_PARTS:-platforms webchat}"
platform_latency="${AI_PLATFORM_LATENCY_MS:-1000}"
deliveries="${AI_DELIVERIES:-200}"
integrations="${AI_INTEGRATIONS:-20}"
delivery_conns="${AI_DELIVERY_CONNECTIONS:-64}"
web_latency="${AI_WEBCHAT_LATENCY_MS:-200}"
web_conns="${AI_WEBCHAT_CONNECTIONS:-64}"
web_secs="${AI_WEBCHAT_SECONDS:-10}"
timeout_s="${AI_TIMEOUT_S:-300}"
FAKE_AI_BIN="${FAKE_AI_BIN:-build/fake_openrouter}"
answer_text="A considered answer from the fake model."
source bench/lib/common.sh
if [[ " $parts " == *" webchat "* ]] && ! command -v wrk >/dev/null; then
  echo "bench/ai.sh: the web chat part needs wrk (scripts/install-deps.sh bench)" >&2
  exit 1
fi
bench_scratch sb-bench-ai

"$FAKE_AI_BIN" --latency-ms "$platform_latency" --content "$answer_text" >"$work/ai.url" 2>"$work/ai.log" &
ai_pid=$!
pids+=("$ai_pid")
ai_url=$(started_url ai) || exit 1
ai_root="${ai_url%/api/v1}"
ai_script() {  # ai_script LATENCY_MS: every next call answers after LATENCY_MS
  curl -fs -X POST -H 'Content-Type: application/json' "$ai_root/_control/answers" \
    -d "{\"answers\":[{\"delay_ms\":$1,\"content\":\"$answer_text\"}]}" >/dev/null
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
}
ai_stat() { curl -fs "$ai_root/_control/stats" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[process.argv[1]]))" "$1"; }
json_field() { node -e "const v=JSON.parse(process.argv[1])[process.argv[2]];console.log(v===null||v===undefined?'—':v)" "$1" "$2"; }

# The engine's own bounds, raised only when this build has them.
bounds=("web chat: --webchat-visitor-limit 1000000 --webchat-deployment-limit 100000000 --webchat-address-limit 100000000"
        "jobs: --queue-bound 1000000000")
serve_help=$("$SB_BIN" serve --help 2>&1 || true)
in_flight=$(( deliveries > web_conns ? deliveries : web_conns ))
engine_flags=()
for flag in --ai-in-flight --ai-in-flight-per-org; do
  if grep -q -- "$flag " <<<"$serve_help"; then
    engine_flags+=("$flag" "$in_flight")
    bounds+=("$flag $in_flight")
  else
    bounds+=("$flag: not in this build (model calls are bounded by the workers and blocking threads)")
  fi
done
web_limits=(--webchat-visitor-limit 1000000 --webchat-deployment-limit 100000000 --webchat-address-limit 100000000)

machine_line
echo "fake OpenRouter: $FAKE_AI_BIN (timers; reports its peak calls in flight); other settings: the server's defaults"
for b in "${bounds[@]}"; do echo "- raised: $b"; done

platforms_row=""
if [[ " $parts " == *" platforms "* ]]; then
  start_fake --inline
  ai_script "$platform_latency"
  server_env=(OPENROUTER_API_KEY=sk-or-bench OPENROUTER_BASE_URL="$ai_url")
  start_switchboard "" "$integrations" --queue-bound 1000000000 "${engine_flags[@]}"
  echo "- raised: integrations' send rates: $rate_limits"
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
  rate=$(awk -v n="$matched" -v ms="$last_ms" 'BEGIN { if (ms + 0 > 0) printf "%.1f", n * 1000 / ms; else print "—" }')
  floor=$(awk -v l="$platform_latency" -v i="$ingest_ms" 'BEGIN { printf "%.1f", (l + i) / 1000 }')
  secs() { awk -v ms="$1" 'BEGIN { if (ms == "—") print "—"; else printf "%.1f", ms / 1000 }'; }
  if [ "$matched" = "$deliveries" ] && [ "$dups" = 0 ] && [ "$unexpected" = 0 ]; then
    verdict="yes: $deliveries deliveries, $deliveries replies, none twice"
  else
    verdict="NO: $matched of $deliveries answered, $missing missing, $dups duplicates, $unexpected unexpected"
  fi
  platforms_row="| $platform_latency | $deliveries | $accepted (non-2xx $non2xx) | $(secs "$ingest_ms") | $(secs "$first_ms") | **$(secs "$last_ms")** | $rate | $floor | $calls | $peak | $other | $verdict | $(peak_rss_mib "$server_pid") MiB |"
  echo
  echo "(a) platforms: $deliveries distinct signed Telegram deliveries, $delivery_conns at a time over $integrations integrations; the bot answers through the model (L = $platform_latency ms); SQLite"
  echo
  echo "| L ms | deliveries | accepted | ingest s | first reply s | last reply s | replies/s | floor s (L + ingest) | model calls | peak model calls in flight | replies not from the model | exactly one reply each | server peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  echo "$platforms_row"
  echo
  echo "Nothing lost: $verdict"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true
  server_env=()
fi

# webchat_run MODE ("templates" | "ai") → "rps p50 p99 non2xx requests calls peak rss"
webchat_run() {
  local mode="$1" port env_args=(env -u OPENROUTER_API_KEY)
  port=$(free_port)
  [ "$mode" = ai ] && env_args=(env OPENROUTER_API_KEY=sk-or-bench OPENROUTER_BASE_URL="$ai_url")
  "${env_args[@]}" "$SB_BIN" serve --listen "127.0.0.1:$port" --data-dir "$work/web-$port" --log-level warn \
    "${web_limits[@]}" "${engine_flags[@]}" >/dev/null 2>"$work/web-$port.log" &
  local pid=$!
  pids+=("$pid")
  local b="http://127.0.0.1:$port" jar="$work/jar-$port" session csrf tpl bot key
  wait_healthy "$b"
  session=$(curl -fs -c "$jar" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark password","name":"Bench"}' "$b/api/auth/signup")
  csrf=$(node -e "console.log(JSON.parse(process.argv[1]).csrf_token)" "$session")
  local h=(-fs -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf")
  local id_of='let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(v.id||v.key)})'
  tpl=$(curl "${h[@]}" -d '{"name":"Hours","trigger_phrases":["opening hours"],"body":"We are open 9 to 5, {{user_name}}."}' \
    "$b/api/templates" | node -e "$id_of")
  bot=$(curl "${h[@]}" -d "{\"name\":\"Shop\",\"template_ids\":[\"$tpl\"]}" "$b/api/bots" | node -e "$id_of")
  key=$(curl "${h[@]}" -d "{\"bot_id\":\"$bot\",\"channel\":\"webchat\"}" "$b/api/deployments" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))')
  curl -fs -X POST "$ai_root/_control/reset" >/dev/null
  wait_quiet
  local out
  out=$(wrk -t1 -c"$web_conns" -d"${web_secs}s" --latency -s bench/webchat.lua "$b/widget/$key/messages" 2>>"$work/wrk.err")
  echo "$(wrk_fields "$out") $(ai_stat calls) $(ai_stat max_in_flight) $(peak_rss_mib "$pid")"
  grep -h '"level":"error"' "$work/web-$port.log" | head -3 >&2 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

if [[ " $parts " == *" webchat "* ]]; then
  ai_script "$web_latency"
  read -r t_rps t_p50 t_p99 t_non t_n t_calls t_peak t_rss <<<"$(webchat_run templates)"
  read -r a_rps a_p50 a_p99 a_non a_n a_calls a_peak a_rss <<<"$(webchat_run ai)"
  yard=$(awk -v c="$web_conns" -v l="$web_latency" -v t="$t_rps" 'BEGIN { m = c * 1000 / l; if (t < m) m = t; printf "%.0f", m }')
  ratio=$(awk -v a="$a_rps" -v y="$yard" 'BEGIN { if (y > 0) printf "%.2f", a / y; else print "—" }')
  echo
  echo "(b) web chat: wrk -t1 -c$web_conns for ${web_secs}s on POST /widget/:key/messages, random visitors; SQLite; default blocking threads"
  echo
  echo "| replies from | messages/s | × min(C / L, template rate) | p50 ms | p99 ms | non-2xx | model calls | peak model calls in flight | time to first token | server peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  echo "| templates (no key): the reference | $t_rps | — | $t_p50 | $t_p99 | $t_non | $t_calls | $t_peak | — | $t_rss MiB |"
  echo "| fake OpenRouter, L = $web_latency ms | **$a_rps** | **$ratio** (of $yard/s) | $a_p50 | $a_p99 | $a_non | $a_calls | $a_peak | — (the web chat does not stream yet) | $a_rss MiB |"
fi
