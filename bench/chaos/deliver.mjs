// The platform side of the crash test: sends N distinct signed Telegram deliveries and redelivers
// every one that was not acknowledged with 200 (connection refused or reset, timeout, 5xx, any
// other answer) until each got its 200 — as Telegram does with a webhook that fails.
//
// usage: node bench/chaos/deliver.mjs BASE_URL TARGETS_FILE N RATE CONCURRENCY OUT_FILE [DEADLINE_S]
//   TARGETS_FILE: "<integration_id> <secret_token>" lines; message i goes to target i % targets.
//   Message i has update_id 1000000+i and comes from chat (and user) 900000000+i, so each message's
//   reply is recognisable at the fake platform by its chat id.
//   RATE: first attempts per second (open loop); CONCURRENCY: most requests in flight.
// OUT_FILE gets a JSON summary: every message with its attempts and whether it was acknowledged,
// and the failures by kind. Progress goes to stderr once a second.
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';

const [base, targetsFile, nArg, rateArg, concArg, outFile, deadlineArg] = process.argv.slice(2);
const N = Number(nArg), RATE = Number(rateArg), CONC = Number(concArg);
const deadline = Date.now() + 1000 * Number(deadlineArg || 600);
const url = new URL(base);
const targets = readFileSync(targetsFile, 'utf8').trim().split('\n').map((l) => {
  const [id, secret] = l.trim().split(/\s+/);
  return { id, secret };
});
const agent = new http.Agent({ keepAlive: true, maxSockets: CONC });
const TIMEOUT_MS = 5000;

const messages = Array.from({ length: N }, (_, i) => ({
  i, update_id: 1000000 + i, chat_id: 900000000 + i, target: targets[i % targets.length].id,
  attempts: 0, acked: false, outcomes: [],
}));
const failures = {};  // kind → count
let ambiguous = 0;    // failures after which the server may have stored the delivery (reset, timeout, 5xx)
const ready = [];     // indexes due for an attempt
let inFlight = 0, acked = 0, released = 0;
const started = Date.now();

function body(m) {
  return JSON.stringify({
    update_id: m.update_id,
    message: { message_id: m.i + 1, date: Math.floor(started / 1000), from: { id: m.chat_id, is_bot: false, first_name: 'Chaos' },
               chat: { id: m.chat_id, type: 'private' }, text: `what are your opening hours? (message ${m.i})` },
  });
}

function attempt(m) {
  inFlight++;
  m.attempts++;
  const t = targets[m.i % targets.length];
  const payload = body(m);
  let settled = false;
  const finish = (kind) => {
    if (settled) return;
    settled = true;
    inFlight--;
    if (kind === 'ok') {
      m.acked = true;
      acked++;
    } else {
      failures[kind] = (failures[kind] || 0) + 1;
      if (kind !== 'refused') ambiguous++;
      m.outcomes.push(kind);
      // Redeliver with backoff: 100 ms, 200 ms, … up to 2 s, with jitter.
      const wait = Math.min(2000, 100 * 2 ** Math.min(5, m.attempts - 1)) * (0.5 + Math.random() / 2);
      setTimeout(() => { ready.push(m.i); pump(); }, wait);
    }
    pump();
  };
  const req = http.request({
    host: url.hostname, port: url.port, method: 'POST', path: `/hooks/telegram/${t.id}`, agent,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload),
               'X-Telegram-Bot-Api-Secret-Token': t.secret },
  }, (res) => {
    res.resume();
    res.on('end', () => finish(res.statusCode === 200 ? 'ok' : `http_${res.statusCode}`));
    res.on('error', () => finish('reset'));
  });
  req.setTimeout(TIMEOUT_MS, () => { req.destroy(new Error('timeout')); });
  req.on('error', (e) => {
    const kind = e.message === 'timeout' ? 'timeout'
      : e.code === 'ECONNREFUSED' ? 'refused'
      : e.code === 'ECONNRESET' || e.code === 'EPIPE' || /socket hang up/.test(e.message) ? 'reset'
      : `error_${e.code || e.message}`;
    finish(kind);
  });
  req.end(payload);
}

function pump() {
  while (inFlight < CONC && ready.length) attempt(messages[ready.shift()]);
}

// Open loop: release first attempts at RATE per second.
const releaser = setInterval(() => {
  const due = Math.min(N, Math.floor(((Date.now() - started) / 1000) * RATE));
  while (released < due) ready.push(released++);
  pump();
}, 5);

const progress = setInterval(() => {
  process.stderr.write(`deliver: ${((Date.now() - started) / 1000).toFixed(0)}s released ${released}/${N} acknowledged ${acked} in flight ${inFlight} failures ${JSON.stringify(failures)}\n`);
}, 250);

await new Promise((resolve) => {
  const check = setInterval(() => {
    if (acked === N || Date.now() > deadline) {
      clearInterval(check);
      resolve();
    }
  }, 20);
});
clearInterval(releaser);
clearInterval(progress);
agent.destroy();
writeFileSync(outFile, JSON.stringify({
  sent: N, acknowledged: acked, attempts: messages.reduce((s, m) => s + m.attempts, 0), failures, ambiguous,
  seconds: (Date.now() - started) / 1000,
  messages: messages.map((m) => ({ update_id: m.update_id, chat_id: m.chat_id, integration_id: m.target, attempts: m.attempts, acked: m.acked, outcomes: m.outcomes })),
}));
process.stderr.write(`deliver: done, ${acked}/${N} acknowledged in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(acked === N ? 0 : 1);
