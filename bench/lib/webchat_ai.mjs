// Web chat load for bench/ai.sh, over node:http with kept-alive connections.
//
// node bench/lib/webchat_ai.mjs stream BASE KEY CONNECTIONS SECONDS
//   CONNECTIONS visitors each send a message with Accept: text/event-stream, read the stream to its
//   end, and send the next, for SECONDS. Prints {messages, per_second, ttft_p50_ms, ttft_p95_ms,
//   ttft_max_ms, no_token, non2xx, client_cpu_pct}: the time to first token is from sending the request to the first
//   `event: token` of its answer.
// node bench/lib/webchat_ai.mjs fair BASE KEY_BIG KEY_SMALL N_BIG N_SMALL
//   N_BIG messages at once to one organisation's chat, then, once the server holds them all (its
//   metric switchboard_ai_calls_in_flight + _waiting reaches N_BIG - 64), N_SMALL to another's; JSON
//   answers. Prints {small_after_ms, small_p50_ms, small_max_ms, big_last_ms, big_ai, small_ai, non2xx}.
import http from 'node:http';

const [mode, base, ...args] = process.argv.slice(2);
const url = new URL(base);

function post(agent, path, body, stream, onFirstToken) {
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
    if (stream) headers.Accept = 'text/event-stream';
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers }, (res) => {
      let text = '';
      let seen = false;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
        if (!seen && stream && text.includes('event: token')) {
          seen = true;
          onFirstToken?.();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Server-signed visitor tokens (GET /widget/:key issues one per call), fetched before the clock starts.
async function visitorTokens(key, n) {
  const one = async () => (await (await fetch(`${base}/widget/${key}`)).json()).visitor_token;
  const out = [];
  for (let i = 0; i < n; i += 50) out.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, one))));
  return out;
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const round = (v) => (v === null ? null : Math.round(v));

if (mode === 'stream') {
  const [key, connArg, secsArg] = args;
  const conns = Number(connArg);
  const until = performance.now() + Number(secsArg) * 1000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const ttft = [];
  let messages = 0, noToken = 0, non2xx = 0, visitor = 0;
  const tokens = await visitorTokens(key, 2000);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conns }, async () => {
    while (performance.now() < until) {
      const body = JSON.stringify({ visitor_token: tokens[visitor++ % tokens.length], text: 'do you ship abroad?' });
      const sent = performance.now();
      let first = null;
      const r = await post(agent, `/widget/${key}/messages`, body, true, () => { first = performance.now() - sent; });
      if (r.status !== 200) { non2xx++; continue; }
      messages++;
      if (first === null) noToken++;
      else ttft.push(first);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  ttft.sort((a, b) => a - b);
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ messages, per_second: Math.round(messages / secs), client_cpu_pct: Math.round(((cpu.user + cpu.system) / 1e6 / secs) * 100), ttft_p50_ms: round(percentile(ttft, 50)),
    ttft_p95_ms: round(percentile(ttft, 95)), ttft_max_ms: round(ttft.at(-1) ?? null), no_token: noToken, non2xx }));
} else if (mode === 'fair') {
  const [bigKey, smallKey, nBigArg, nSmallArg] = args;
  const nBig = Number(nBigArg), nSmall = Number(nSmallArg);
  const agent = new http.Agent({ keepAlive: true, maxSockets: nBig + nSmall });
  let non2xx = 0, bigAi = 0, smallAi = 0;
  const bigTokens = await visitorTokens(bigKey, nBig), smallTokens = await visitorTokens(smallKey, nSmall);
  const t0 = performance.now();
  const send = async (key, i, tag) => {
    const sent = performance.now();
    const r = await post(agent, `/widget/${key}/messages`, JSON.stringify({ visitor_token: (tag === 'b' ? bigTokens : smallTokens)[i], text: 'hello there' }), false);
    if (r.status !== 200) non2xx++;
    else if (JSON.parse(r.text).reply?.text?.startsWith('A considered answer')) tag === 'b' ? bigAi++ : smallAi++;
    return { took: performance.now() - sent, done: performance.now() - t0 };
  };
  const big = Array.from({ length: nBig }, (_, i) => send(bigKey, i, 'b'));
  const metric = (text, name) => Number(text.split('\n').find((l) => l.startsWith(name + ' '))?.split(' ')[1] ?? 0);
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const text = await (await fetch(`${base}/metrics`)).text();
    // All held: in flight or waiting, give or take the first wave, which may have been answered already.
    if (metric(text, 'switchboard_ai_calls_in_flight') + metric(text, 'switchboard_ai_calls_waiting') >= nBig - 64) break;
  }
  const smallAfter = performance.now() - t0;
  const small = await Promise.all(Array.from({ length: nSmall }, (_, i) => send(smallKey, i, 's')));
  const bigDone = await Promise.all(big);
  agent.destroy();
  const took = small.map((s) => s.took).sort((a, b) => a - b);
  console.log(JSON.stringify({ small_after_ms: round(smallAfter), small_p50_ms: round(percentile(took, 50)), small_max_ms: round(took.at(-1)),
    big_last_ms: round(Math.max(...bigDone.map((b) => b.done))), big_ai: bigAi, small_ai: smallAi, non2xx }));
} else {
  console.error('usage: webchat_ai.mjs stream|fair …');
  process.exit(2);
}
