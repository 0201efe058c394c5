// Sends N distinct signed Telegram deliveries and waits for their replies at the fake platforms.
//
// usage: node bench/lib/deliver.mjs BASE_URL FAKE_ROOT TARGETS_FILE N CONCURRENCY TIMEOUT_S [FIRST_UPDATE_ID]
// TARGETS_FILE: "<integration_id> <secret_token>" lines (bench/lib/setup.mjs); deliveries go
// round-robin over them. Each delivery has its own update_id, and its chat id and sender are that
// update_id too, so every reply can be matched to its delivery by the chat it is sent to (and no
// per-chat rate limit ever binds).
// EXPECT_TEXT (environment): the model's answer; replies with another text (the fallback) are counted apart.
// stdout: one JSON line {deliveries, accepted, non2xx, ingest_ms, replies, matched, duplicates,
//   missing, unexpected, other_text, last_reply_ms, first_reply_ms, timed_out}; times count from the first
//   delivery sent.
// The fake platforms are polled every 20 ms, so reply times are good to about that.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, fakeRoot, targetsFile, nArg, concArg, timeoutArg, firstArg] = process.argv.slice(2);
const n = Number(nArg);
const concurrency = Number(concArg || 64);
const timeoutMs = Number(timeoutArg || 300) * 1000;
const first = Number(firstArg || 5000000000);
const targets = readFileSync(targetsFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '));

const sentBefore = new Set((await (await fetch(`${fakeRoot}/_control/sent`)).json()).items.map((m) => m.recipient));
const expected = new Set();
const t0 = performance.now();
let next = 0;
let accepted = 0;
let non2xx = 0;
// node:http with kept-alive connections (one per sender): fetch costs this 2-core machine several
// times the CPU per request, and the client must not be what limits the ingest rate.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const baseUrl = new URL(base);
function post(path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: baseUrl.hostname, port: baseUrl.port, path, method: 'POST', agent,
                               headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function sender() {
  while (next < n) {
    const i = next++;
    const id = first + i;
    const [integration, secret] = targets[i % targets.length];
    expected.add(String(id));
    const body = JSON.stringify({
      update_id: id,
      message: { message_id: id, date: 1764111111, from: { id, is_bot: false, first_name: 'Ann' },
                 chat: { id, type: 'private' }, text: 'what time is breakfast?' },
    });
    const status = await post(`/hooks/telegram/${integration}`,
                              { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret }, body);
    if (status === 200) accepted++;
    else non2xx++;
  }
}
// The first reply is looked for while the deliveries still go out.
let firstReplyMs = null;
let ingesting = true;
const watchFirst = (async () => {
  while (ingesting && firstReplyMs === null) {
    await new Promise((r) => setTimeout(r, 50));
    const items = (await (await fetch(`${fakeRoot}/_control/sent`)).json()).items;
    if (items.some((m) => !sentBefore.has(m.recipient) && expected.has(m.recipient)))
      firstReplyMs = performance.now() - t0;
  }
})();
await Promise.all(Array.from({ length: Math.min(concurrency, n) }, sender));
const ingestMs = performance.now() - t0;

ingesting = false;
await watchFirst;
agent.destroy();

// Waits for every reply: counts, per expected chat, how many replies it got.
let lastReplyMs = null;
let counts = new Map();
let unexpected = 0;
let timedOut = false;
for (;;) {
  const now = performance.now() - t0;
  const items = (await (await fetch(`${fakeRoot}/_control/sent`)).json()).items;
  counts = new Map();
  unexpected = 0;
  for (const m of items) {
    if (sentBefore.has(m.recipient)) continue;
    if (!expected.has(m.recipient)) { unexpected++; continue; }
    counts.set(m.recipient, (counts.get(m.recipient) || 0) + 1);
  }
  if (counts.size > 0 && firstReplyMs === null) firstReplyMs = now;
  if (counts.size === expected.size) { lastReplyMs = now; break; }
  if (now > timeoutMs) { timedOut = true; break; }
  await new Promise((r) => setTimeout(r, 20));
}
// A short look more, so that a duplicate sent just after the last first reply is still seen.
await new Promise((r) => setTimeout(r, 500));
const items = (await (await fetch(`${fakeRoot}/_control/sent`)).json()).items;
counts = new Map();
unexpected = 0;
for (const m of items) {
  if (sentBefore.has(m.recipient)) continue;
  if (!expected.has(m.recipient)) { unexpected++; continue; }
  counts.set(m.recipient, (counts.get(m.recipient) || 0) + 1);
}
const expectText = process.env.EXPECT_TEXT;
const otherText = expectText ? items.filter((m) => expected.has(m.recipient) && m.text !== expectText).length : 0;
let duplicates = 0;
let replies = 0;
for (const c of counts.values()) { replies += c; if (c > 1) duplicates += c - 1; }
console.log(JSON.stringify({
  deliveries: n, accepted, non2xx, ingest_ms: Math.round(ingestMs), replies, matched: counts.size, duplicates,
  missing: expected.size - counts.size, unexpected, other_text: otherText, first_reply_ms: firstReplyMs && Math.round(firstReplyMs),
  last_reply_ms: lastReplyMs && Math.round(lastReplyMs), timed_out: timedOut,
}));
