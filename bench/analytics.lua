-- wrk script for bench/analytics.sh: GETs one dashboard URL with the session cookie, and prints
-- the latency percentiles wrk's --latency leaves out (p95) as one line:
--   ANALYTICS p50_ms p95_ms p99_ms requests non2xx
-- (requests answered other than 2xx/3xx are wrk's status errors.) Environment: BENCH_COOKIE (sb_session=…).
function init(args)
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
end
function done(summary, latency, requests)
  io.write(string.format("ANALYTICS %.2f %.2f %.2f %d %d\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.errors.status))
end
