// Prepares a fresh Switchboard server for the messaging benchmarks, through its public API only:
// signs up, creates a template and a bot answering from it, connects N Telegram integrations
// against the fake platforms (create → verify → register the webhook, whose secret token is read
// back from the fake's /_control/telegram-webhook), tries to raise each integration's rate limits
// (PUT …/rate-limits; reported, not required), and deploys the bot to every integration.
//
// usage: node bench/lib/setup.mjs BASE_URL FAKE_ROOT INTEGRATIONS OUT_FILE
// OUT_FILE gets one line per integration: "<integration_id> <secret_token>".
// stdout: one JSON line {cookie, csrf, bot_id, rate_limits: "raised to …" | "defaults (…)"}.
import { writeFileSync } from 'node:fs';

const [base, fakeRoot, countArg, outFile] = process.argv.slice(2);
const count = Number(countArg || 1);
let cookie = '';
let csrf = '';

async function call(method, path, body, { expect = [200, 201], root = base } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(root + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const setCookie = res.headers.get('set-cookie');
  if (setCookie) {
    const m = /sb_session=[^;]+/.exec(setCookie);
    if (m) cookie = m[0];
  }
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// A token of the shape Telegram hands out: digits, a colon, 35 letters, digits, - or _.
function botToken(i) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let tail = '';
  for (let k = 0; k < 35; k++) tail += alphabet[(i * 7919 + k * 104729) % alphabet.length];
  return `${7654321098 + i}:AAH${tail}`;
}

const session = await call('POST', '/api/auth/signup',
  { email: 'bench@example.com', password: 'benchmark password', name: 'Bench' });
csrf = session.body.csrf_token;
const template = await call('POST', '/api/templates',
  { name: 'Hours', trigger_phrases: ['opening hours'], body: 'We are open 9 to 5, {{user_name}}.' });
const bot = await call('POST', '/api/bots', { name: 'Shop', template_ids: [template.body.id] });

const lines = [];
let rateLimits = '';
const one = async (i) => {
  const created = await call('POST', '/api/integrations',
    { platform: 'telegram', name: `bench-${i}`, credentials: { bot_token: botToken(i) } });
  const id = created.body.id;
  const verified = await call('POST', `/api/integrations/${id}/verify`);
  if (verified.body.status !== 'connected') throw new Error(`verify ${id}: ${JSON.stringify(verified.body)}`);
  return id;
};
// Verification may run in parallel; setWebhook must not, because the fake keeps only the last secret.
const ids = [];
for (let i = 0; i < count; i += 16) {
  const batch = [];
  for (let k = i; k < Math.min(count, i + 16); k++) batch.push(one(k));
  ids.push(...(await Promise.all(batch)));
}
for (const id of ids) {
  const hook = await call('POST', `/api/integrations/${id}/webhook`);
  if (!hook.body.ok) throw new Error(`webhook ${id}: ${JSON.stringify(hook.body)}`);
  const registered = await call('GET', '/_control/telegram-webhook', undefined, { root: fakeRoot });
  if (!registered.body.url.endsWith(`/hooks/telegram/${id}`)) throw new Error(`fake has webhook ${registered.body.url}`);
  lines.push(`${id} ${registered.body.secret_token}`);
}
// Per-integration rate limits (another change): use the platform's maximum when the route exists.
for (const id of ids) {
  const current = await call('GET', `/api/integrations/${id}/rate-limits`, undefined, { expect: [200, 404, 405] });
  if (current.status !== 200) {
    rateLimits = 'defaults (no rate-limits route in this build): 30/s per bot, 60/min per chat';
    break;
  }
  const max = { per_second: current.body.bounds.per_second.max, per_chat_per_minute: current.body.bounds.per_chat_per_minute.max };
  await call('PUT', `/api/integrations/${id}/rate-limits`, max);
  rateLimits = `raised to ${max.per_second}/s per bot, ${max.per_chat_per_minute}/min per chat`;
}
for (let i = 0; i < ids.length; i += 16)
  await Promise.all(ids.slice(i, i + 16).map((id) => call('POST', '/api/deployments', { bot_id: bot.body.id, integration_id: id })));

writeFileSync(outFile, lines.join('\n') + '\n');
console.log(JSON.stringify({ cookie, csrf, bot_id: bot.body.id, org_id: session.body.organization?.id ?? '', rate_limits: rateLimits }));
