#!/usr/bin/env bash
# Web chat throughput: messages answered from templates (AI off) and through the fake OpenRouter with a
# fixed 200 ms latency, 64 concurrent visitors, on SQLite. Prints a Markdown table with the server's
# peak memory (VmHWM). Usage: bench/webchat.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
work=$(mktemp -d /tmp/sb-bench-webchat-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

build/fake_openrouter 200 >"$work/fake.url" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/fake.url" ] && break; sleep 0.1; done
fake_url=$(head -1 "$work/fake.url")

# $1 label, $2 blocking threads, $3 "ai" or "templates"
run() {
  local label="$1" threads="$2" mode="$3" port
  port=$(free_port)
  local env=(env -u OPENROUTER_API_KEY)
  [ "$mode" = ai ] && env=(env OPENROUTER_API_KEY=sk-or-bench OPENROUTER_BASE_URL="$fake_url")
  "${env[@]}" build/switchboard serve --listen "127.0.0.1:$port" --data-dir "$work/data-$port" --log-level warn \
    --blocking-threads "$threads" --webchat-visitor-limit 1000000 --webchat-deployment-limit 100000000 \
    --webchat-address-limit 100000000 \
    >/dev/null 2>"$work/server-$port.log" &
  local pid=$!
  pids+=($pid)
  local base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local jar="$work/jar-$port"
  local session csrf tpl bot key
  session=$(curl -fs -c "$jar" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark password","name":"Bench"}' "$base/api/auth/signup")
  csrf=$(node -e "console.log(JSON.parse(process.argv[1]).csrf_token)" "$session")
  local h=(-fs -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf")
  tpl=$(curl "${h[@]}" -d '{"name":"Hours","trigger_phrases":["opening hours"],"body":"We are open 9 to 5, {{user_name}}."}' \
    "$base/api/templates" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).id))")
  bot=$(curl "${h[@]}" -d "{\"name\":\"Shop\",\"template_ids\":[\"$tpl\"]}" "$base/api/bots" |
    node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).id))")
  key=$(curl "${h[@]}" -d "{\"bot_id\":\"$bot\",\"channel\":\"webchat\"}" "$base/api/deployments" |
    node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).key))")
  local out rps p50 p99 non2xx peak
  node bench/lib/visitor_tokens.mjs "$base" "$key" >"$work/tokens-$port"  # server-signed visitor tokens
  out=$(WEBCHAT_TOKENS="$work/tokens-$port" wrk -t1 -c64 -d"${secs}s" --latency -s bench/webchat.lua "$base/widget/$key/messages")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  peak=$(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status")
  echo "| $label | $threads | $rps | $p50 | $p99 | ${non2xx:-0} | $peak |"
  grep -h "\"level\":\"error\"" "$work/server-$port.log" | head -3 >&2 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); ${secs}s per run; wrk -t1 -c64; SQLite"
echo
echo "| replies from | blocking threads | messages/s | p50 | p99 | non-2xx | server peak memory |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
run "templates (AI off)" 8 templates
[ -n "${TEMPLATES_ONLY:-}" ] || run "fake OpenRouter, 200 ms" 8 ai
[ -n "${TEMPLATES_ONLY:-}" ] || run "fake OpenRouter, 200 ms" 64 ai
