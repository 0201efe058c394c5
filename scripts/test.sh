#!/usr/bin/env bash
# Runs every suite — C++ unit, integration on SQLite, the same on PostgreSQL, a short crash test
# across processes on PostgreSQL, the documented nginx site in front of a server, web unit (Vitest),
# browser (playwright-core + Debian chromium) — and closes with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs=$(mktemp -d /tmp/sb-test-logs-XXXXXX)
pg_dir=$(mktemp -d /tmp/sb-test-pg-XXXXXX)
passed=0
failed=0
failed_suites=()
cleanup() { scripts/postgres.sh stop "$pg_dir"; }
trap cleanup EXIT INT TERM

# gtest: counts come from its summary lines.
run_gtest() {
  local name="$1"; shift
  echo "== $name"
  timeout --kill-after=10 1200 "$@" >"$logs/$name.log" 2>&1  # a hung suite fails instead of stalling CI
  local rc=$?
  local p f
  p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$logs/$name.log" | grep -oE '[0-9]+' | head -1)
  f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$logs/$name.log" | grep -oE '[0-9]+' | head -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # crashed before its summary
  report "$name" "$p" "$f"
}

report() {
  local name="$1" p="$2" f="$3"
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$f" -gt 0 ]; then
    failed_suites+=("$name")
    echo "   $name: $p passed, $f failed (log: $logs/$name.log)"
    grep -E '^\[  FAILED  \]|Failure|not ok|✗|FAIL' "$logs/$name.log" | head -40 | sed 's/^/   | /'
  else
    echo "   $name: $p passed"
  fi
}

run_gtest unit-sqlite build/unit_tests
run_gtest integration-sqlite build/integration_tests

echo "== starting PostgreSQL 15"
if pg_url=$(scripts/postgres.sh start "$pg_dir"); then
  export SWITCHBOARD_TEST_PG_URL="$pg_url"
  run_gtest unit-postgres build/unit_tests --gtest_filter='Db*:Migration*:*Postgres*'
  run_gtest integration-postgres build/integration_tests
  unset SWITCHBOARD_TEST_PG_URL
else
  echo "   PostgreSQL did not start"; cat "$pg_dir"/*.log 2>/dev/null | tail -20
  report postgres 0 1
fi

# A short crash test across processes (ADR 0040): 2 serve + 3 worker processes on a durable
# PostgreSQL, one SIGKILL of the singleton holder and one of a worker while the platform is slow,
# once with each in-doubt policy; the counts must agree (bench/chaos/cluster.sh).
echo "== crash test across processes (bench/chaos/cluster.sh, short, policies hold and resend)"
cluster_passed=0
cluster_failed=0
for policy in hold resend; do
  if CHAOS_POLICY=$policy CLUSTER_MESSAGES=300 CLUSTER_RATE=100 CLUSTER_KILLS=2 CLUSTER_SLOW_KILLS=2 \
      CLUSTER_DRAIN_SECONDS=60 timeout --kill-after=10 120 bench/chaos/cluster.sh >>"$logs/crash-cluster.log" 2>&1; then
    cluster_passed=$((cluster_passed + 1))
  else
    cluster_failed=$((cluster_failed + 1))
  fi
done
report crash-cluster "$cluster_passed" "$cluster_failed"

# The nginx site of docs/operations.md in front of a server: TLS, HTTP/2, client addresses through
# --trusted-proxies, request ids, body limits (scripts/proxy-test.sh, a few seconds).
echo "== reverse proxy (scripts/proxy-test.sh, nginx)"
proxy_checks() { grep -c '^ok ' "$logs/proxy.log" || true; }
if timeout --kill-after=10 120 scripts/proxy-test.sh >"$logs/proxy.log" 2>&1; then
  report proxy "$(proxy_checks)" 0
else
  f=$(grep '^FAIL ' "$logs/proxy.log" | grep -vc '^FAIL proxy' || true)
  [ "${f:-0}" -gt 0 ] || f=1
  report proxy "$(proxy_checks)" "$f"
fi

echo "== web (vitest)"
(cd web && timeout 600 npx vitest run --reporter=default --reporter=json --outputFile.json="$logs/vitest.json") >"$logs/web.log" 2>&1
rc=$?
read -r p f < <(node -e "try{const r=require('$logs/vitest.json');console.log(r.numPassedTests,r.numFailedTests)}catch{console.log(0,1)}")
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
report web "$p" "$f"

echo "== browser (playwright-core, chromium)"
(cd e2e && SWITCHBOARD_BIN="$root/build/switchboard" timeout 900 node --test --test-reporter=tap tests/) >"$logs/e2e.log" 2>&1
rc=$?
p=$(grep -E '^# pass [0-9]+' "$logs/e2e.log" | grep -oE '[0-9]+' | tail -1)
f=$(grep -E '^# fail [0-9]+' "$logs/e2e.log" | grep -oE '[0-9]+' | tail -1)
p=${p:-0}; f=${f:-0}
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
report e2e "$p" "$f"

echo
[ ${#failed_suites[@]} -gt 0 ] && echo "failed suites: ${failed_suites[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
