// Small readers for the messaging benchmarks.
//   node bench/lib/jobs.mjs stats BASE COOKIE    → "queued processing succeeded failed dead cancelled" (GET /api/jobs/stats)
//   node bench/lib/jobs.mjs latency BASE COOKIE [FROM] → "jobs succeeded p50 p99 max throttled" from GET /api/jobs/export?format=jsonl
//                                                  (FROM: only jobs received since then, an RFC 3339 time)
//                                                  (latency_ms: receipt of the delivery → the platform accepted the reply;
//                                                  the export holds the newest 10,000 jobs at most; throttled: jobs the
//                                                  rate limiter sent back to the queue at least once)
//   node bench/lib/jobs.mjs sent FAKE_ROOT       → how many messages the fake platforms accepted (GET /_control/sent)
const [cmd, a, b] = process.argv.slice(2);
const get = async (url, cookie) => {
  const res = await fetch(url, { headers: cookie ? { Cookie: cookie } : {} });
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.text();
};
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

if (cmd === 'stats') {
  const c = JSON.parse(await get(`${a}/api/jobs/stats`, b)).counts;
  console.log(['queued', 'processing', 'succeeded', 'failed', 'dead', 'cancelled'].map((k) => c[k] ?? 0).join(' '));
} else if (cmd === 'latency') {
  const since = process.argv[5] ? `&from=${encodeURIComponent(process.argv[5])}` : '';
  const lines = (await get(`${a}/api/jobs/export?format=jsonl${since}`, b)).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const ok = lines.filter((j) => j.state === 'succeeded' && j.latency_ms !== null).map((j) => j.latency_ms).sort((x, y) => x - y);
  const throttled = lines.filter((j) => j.logs.some((l) => l.outcome === 'throttled')).length;
  console.log(`${lines.length} ${ok.length} ${pct(ok, 50)} ${pct(ok, 99)} ${ok.length ? ok[ok.length - 1] : NaN} ${throttled}`);
} else if (cmd === 'sent') {
  console.log(JSON.parse(await get(`${a}/_control/sent`)).items.length);
} else {
  console.error('usage: jobs.mjs stats|latency|sent …');
  process.exit(2);
}
