#!/usr/bin/env bash
# The reverse proxy of docs/operations.md, tested: takes the nginx site from that page as written
# (the ```nginx block of "Behind a reverse proxy with TLS"), changes only what a test machine needs
# (ports, a self-signed certificate, and `proxy_bind 127.0.0.2` so that the proxy and the client
# have different loopback addresses), runs it with Debian's nginx in front of a `switchboard serve`
# started with `--trusted-proxies 127.0.0.2/32` and the documented public base URL, and checks what a
# user of that setup relies on:
#  - HTTPS over HTTP/2 reaches the server; plain HTTP answers 301 to the same path on https://;
#  - the client's address in the server's log is the client's (127.0.0.1), not the proxy's and not
#    an address the client wrote into X-Forwarded-For;
#  - nginx's request id reaches the server and comes back in X-Request-Id;
#  - HTTPS turns on HSTS and the Secure session cookie;
#  - a body over Switchboard's 1 MiB limit gets Switchboard's own JSON 413; over nginx's 2 MB, nginx's;
#  - a streamed web chat answer (build/fake_openrouter writing a word every 200 ms) reaches the
#    visitor as it is written, not all at once at the end.
# Prints one line per check and PASS or FAIL; exits non-zero on any failure.
#
# usage: scripts/proxy-test.sh            Environment: SB_BIN (default build/switchboard), NGINX (nginx),
#                                          FAKE_AI_BIN (build/fake_openrouter)
set -euo pipefail
cd "$(dirname "$0")/.."
SB_BIN="${SB_BIN:-build/switchboard}"
FAKE_AI_BIN="${FAKE_AI_BIN:-build/fake_openrouter}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
work=$(mktemp -d /tmp/sb-proxy-test-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_PROXY_TEST:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
failures=0
check() {  # check NAME CONDITION-EXIT-CODE DETAIL
  if [ "$2" -eq 0 ]; then echo "ok   $1"; else echo "FAIL $1: $3"; failures=$((failures + 1)); fi
}

sb_port=$(free_port); https_port=$(free_port); http_port=$(free_port)
host=bots.example.com

# The site, from the documentation.
site=$(awk '/^## Behind a reverse proxy with TLS/ { in_section = 1 }
  in_section && /^```nginx/ { in_block = 1; next }
  in_block && /^```/ { exit }
  in_block { print }' docs/operations.md)
[ -n "$site" ] || { echo "FAIL: no nginx block under \"Behind a reverse proxy with TLS\" in docs/operations.md"; exit 1; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1

site=$(sed -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$sb_port;|" \
  -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
  -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
  -e "s|ssl_certificate  *[^;]*fullchain.pem;|ssl_certificate $work/cert.pem;|" \
  -e "s|ssl_certificate_key  *[^;]*privkey.pem;|ssl_certificate_key $work/key.pem;|" \
  -e "s|proxy_pass http://switchboard;|proxy_pass http://switchboard;\n    proxy_bind 127.0.0.2;|" <<<"$site")
for expected in "127.0.0.1:$sb_port" "127.0.0.1:$https_port ssl http2" "$work/cert.pem" "$work/key.pem" "proxy_bind"; do
  grep -qF "$expected" <<<"$site" || { echo "FAIL: the documented site no longer has the line this test adapts ($expected)"; exit 1; }
done

mkdir -p "$work/nginx/logs"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log $work/nginx/logs/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
$site
}
EOF
"$NGINX" -t -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx-t.log" 2>&1 ||
  { echo "FAIL: nginx rejects the documented site:"; cat "$work/nginx-t.log"; exit 1; }
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/logs/error.log" &
pids+=($!)

# The model: a word every 200 ms of a streamed answer.
"$FAKE_AI_BIN" --first-token-ms 200 --token-ms 200 --content "one two three four five six seven eight" \
  >"$work/ai.out" 2>"$work/ai.log" &
pids+=($!)
ai_url=""
for _ in $(seq 1 100); do
  ai_url=$(grep -m1 '^http://' "$work/ai.out" 2>/dev/null || true)
  [ -n "$ai_url" ] && break
  sleep 0.1
done
[ -n "$ai_url" ] || { echo "FAIL: $FAKE_AI_BIN printed no address"; cat "$work/ai.log"; exit 1; }

OPENROUTER_API_KEY=sk-or-proxy-test OPENROUTER_BASE_URL="$ai_url" \
  "$SB_BIN" serve --listen "127.0.0.1:$sb_port" --data-dir "$work/data" --workers 0 \
  --public-base-url "https://$host" --trusted-proxies 127.0.0.2/32 >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$sb_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$http_port/" 2>/dev/null && break
  sleep 0.1
done

tls=(--resolve "$host:$https_port:127.0.0.1" --cacert "$work/cert.pem")
https="https://$host:$https_port"

# HTTPS over HTTP/2.
out=$(curl -s "${tls[@]}" --http2 -o "$work/health.json" -w '%{http_code} %{http_version}' "$https/healthz" || true)
check "HTTPS over HTTP/2 reaches the server" "$([ "$out" = "200 2" ] && [ -s "$work/health.json" ]; echo $?)" \
  "got '$out': $(head -c 200 "$work/health.json" 2>/dev/null)"

# Plain HTTP is sent to HTTPS, path kept.
out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Host: $host" "http://127.0.0.1:$http_port/analytics?x=1" || true)
check "HTTP answers 301 to https://" "$([ "$out" = "301 https://$host/analytics?x=1" ]; echo $?)" "got '$out'"

# The client's address: the client writes a forged X-Forwarded-For; nginx appends 127.0.0.1 (the
# client) and connects from 127.0.0.2 (the trusted proxy).
rid=$(curl -s "${tls[@]}" -o /dev/null -D - -H 'X-Forwarded-For: 203.0.113.9' "$https/api/bots?client=probe" |
  tr -d '\r' | awk -F': ' 'tolower($1) == "x-request-id" { print $2 }')
line=""
for _ in $(seq 1 50); do  # the log is flushed about once a second
  line=$(grep '"path":"/api/bots' "$work/server.log" | grep -F "\"request_id\":\"$rid\"" | tail -1 || true)
  [ -n "$line" ] && break
  sleep 0.1
done
check "nginx's request id reaches the server and comes back" "$([[ "$rid" =~ ^[0-9a-f]{32}$ ]] && [ -n "$line" ]; echo $?)" \
  "X-Request-Id '$rid', log line '$line'"
check "the server logs the client's address, not the proxy's or a forged one" \
  "$(grep -q '"remote_ip":"127.0.0.1"' <<<"$line"; echo $?)" "log line '$line'"

# HSTS and the Secure cookie when the public base URL is https://.
curl -s "${tls[@]}" -o "$work/signup.json" -D "$work/signup.headers" -H 'Content-Type: application/json' \
  -d '{"email":"proxy@example.com","password":"proxy test password","name":"Proxy"}' "$https/api/auth/signup" || true
check "HTTPS responses carry Strict-Transport-Security" \
  "$(grep -qi '^strict-transport-security: max-age=31536000' "$work/signup.headers"; echo $?)" "$(head -c 300 "$work/signup.headers")"
check "the session cookie is Secure" \
  "$(grep -i '^set-cookie: sb_session=' "$work/signup.headers" | grep -qi '; *secure'; echo $?)" \
  "$(grep -i '^set-cookie' "$work/signup.headers" | sed 's/=[^;]*/=…/' | head -2)"

# Body limits: Switchboard's own 413 (JSON) just over 1 MiB; nginx's over its 2 MB.
head -c 1200000 /dev/zero | tr '\0' 'a' >"$work/1m2.txt"
head -c 2200000 /dev/zero | tr '\0' 'a' >"$work/2m2.txt"
out=$(curl -s "${tls[@]}" -o "$work/413a" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$work/1m2.txt" "$https/api/auth/signin" || true)
check "1.2 MB body: Switchboard's JSON 413" "$([ "$out" = 413 ] && grep -q '"error"' "$work/413a"; echo $?)" \
  "got $out: $(head -c 200 "$work/413a")"
out=$(curl -s "${tls[@]}" -o "$work/413b" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$work/2m2.txt" "$https/api/auth/signin" || true)
check "2.2 MB body: nginx's 413" "$([ "$out" = 413 ] && grep -qi 'nginx' "$work/413b"; echo $?)" "got $out"

# A streamed answer passes through as it is written: the documented site must not buffer it.
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s)[process.argv[1]]??"")}catch(e){console.log("")}})' "$1"; }
cookie=$(grep -io 'sb_session=[^;]*' "$work/signup.headers" | head -1 || true)
csrf=$(json csrf_token <"$work/signup.json")
api=(-s "${tls[@]}" -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json')
bot=$(curl "${api[@]}" -d '{"name":"Proxy bot"}' "$https/api/bots" | json id)
key=$(curl "${api[@]}" -d "{\"bot_id\":\"$bot\",\"channel\":\"webchat\"}" "$https/api/deployments" | json key)
visitor=$(curl -s "${tls[@]}" "$https/widget/$key" | json visitor_token)
curl -sN "${tls[@]}" -H 'Accept: text/event-stream' -H 'Content-Type: application/json' \
  -d "{\"visitor_token\":\"$visitor\",\"text\":\"hello\"}" "$https/widget/$key/messages" 2>/dev/null |
  while IFS= read -r l; do [ -n "$l" ] && echo "$(date +%s%3N) $l"; done >"$work/stream.txt" || true
first=$(awk '$2 == "event:" && $3 == "token" { print $1; exit }' "$work/stream.txt")
done_at=$(awk '$2 == "event:" && $3 == "done" { print $1; exit }' "$work/stream.txt")
tokens=$(awk '$2 == "event:" && $3 == "token"' "$work/stream.txt" | wc -l)
check "a streamed web chat answer arrives as it is written" \
  "$([ -n "$first" ] && [ -n "$done_at" ] && [ "$tokens" -ge 4 ] && [ $((done_at - first)) -ge 800 ]; echo $?)" \
  "$tokens token events, the first at ${first:-none}, done at ${done_at:-none}: $(head -c 300 "$work/stream.txt")"

if [ "$failures" -eq 0 ]; then echo "PASS proxy (docs/operations.md nginx site)"; else
  echo "FAIL proxy: $failures check(s) failed"; tail -5 "$work/nginx/logs/error.log"; exit 1
fi
