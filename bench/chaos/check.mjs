// The crash test's verdict: compares what the platform side saw (deliver.mjs's summary) with what
// the server stored (webhook events from the database, jobs from GET /api/jobs/export) and with
// the replies the fake platform accepted (GET /_control/sent). Prints the counts; exits 1 when
// an acknowledged delivery has no event or no job, a message has two events or two jobs, a job
// did not succeed, a message got no reply, or a message got more than one reply.
// With IN_DOUBT_TSV and POLICY (bench/chaos/cluster.sh, ADR 0040) the jobs in doubt are accounted
// for: a duplicate reply is allowed only for a job in doubt and only with policy resend; with policy
// hold a job held in state in_doubt is counted, not failed, whether or not its send had reached the
// platform (at most once), and no message may get two replies.
//
// usage: node bench/chaos/check.mjs DELIVER_SUMMARY EVENTS_TSV BASE_URL COOKIE FAKE_ROOT [IN_DOUBT_TSV POLICY]
//   EVENTS_TSV: "<integration_id>\t<idempotency_key>" per stored webhook event
//   IN_DOUBT_TSV: "<integration_id>\t<idempotency_key>\t<state>[\t<cause>]" per job with an in_doubt
//   attempt in its log or in state in_doubt (cause: crash, no_answer or crash+no_answer);
//   POLICY: resend | hold
import { readFileSync } from 'node:fs';

const [summaryFile, eventsFile, base, cookie, fakeRoot, inDoubtFile, policy] = process.argv.slice(2);
const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
const get = async (url, headers = {}) => {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.text();
};

const key = (integration, updateId) => `${integration} ${updateId}`;
const events = new Map();
for (const line of readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean)) {
  const [integration, k] = line.split('\t');
  events.set(key(integration, k), (events.get(key(integration, k)) || 0) + 1);
}
const inDoubt = new Map();  // key → job state, for the jobs in doubt
const causes = {};  // why they are in doubt: crash, no_answer (a timeout or a broken connection), both
if (inDoubtFile)
  for (const line of readFileSync(inDoubtFile, 'utf8').split('\n').filter(Boolean)) {
    const [integration, k, state, cause] = line.split('\t');
    inDoubt.set(key(integration, k), state);
    if (cause) causes[cause] = (causes[cause] || 0) + 1;
  }
const held = (k, j) => inDoubtFile && policy === 'hold' && j.state === 'in_doubt' && inDoubt.has(k);
const exported = (await get(`${base}/api/jobs/export?format=jsonl`, { Cookie: cookie })).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const jobs = new Map();
const eventIds = new Map();
for (const j of exported) {
  const k = key(j.integration_id, j.external_message_id);
  if (!jobs.has(k)) jobs.set(k, []);
  jobs.get(k).push(j);
  eventIds.set(j.event_id, (eventIds.get(j.event_id) || 0) + 1);
}
const sent = JSON.parse(await get(`${fakeRoot}/_control/sent`)).items.filter((s) => s.service === 'telegram');
const replies = new Map();
for (const s of sent) replies.set(s.recipient, [...(replies.get(s.recipient) || []), s]);

const acked = summary.messages.filter((m) => m.acked);
let ackedWithoutEvent = 0, ackedWithoutJob = 0, twoEvents = 0, twoJobs = 0, notSucceeded = 0, lost = 0;
let duplicateReplies = 0, messagesWithDuplicates = 0, recordedMismatch = 0;
let heldJobs = 0, heldReached = 0, duplicatesInDoubt = 0, duplicatesUnexplained = 0, inDoubtWrongState = 0;
const examples = [];
const states = {};
for (const m of summary.messages) {
  const k = key(m.integration_id, m.update_id);
  const ev = events.get(k) || 0;
  const js = jobs.get(k) || [];
  if (m.acked && ev === 0) { ackedWithoutEvent++; examples.push(`update ${m.update_id}: acknowledged, no event`); }
  if (m.acked && js.length === 0) { ackedWithoutJob++; examples.push(`update ${m.update_id}: acknowledged, no job`); }
  if (ev > 1) twoEvents++;
  if (js.length > 1) { twoJobs++; examples.push(`update ${m.update_id}: ${js.length} jobs`); }
  for (const j of js) {
    states[j.state] = (states[j.state] || 0) + 1;
    if (held(k, j)) { heldJobs++; continue; }
    if (inDoubtFile && j.state === 'in_doubt') inDoubtWrongState++;
    if (j.state !== 'succeeded') { notSucceeded++; examples.push(`update ${m.update_id}: job ${j.id} is ${j.state} (${j.last_error})`); }
  }
  const r = replies.get(String(m.chat_id)) || [];
  if (r.length >= 1 && js.some((j) => held(k, j))) heldReached++;
  if (r.length === 0 && !js.some((j) => held(k, j))) { lost++; examples.push(`update ${m.update_id}: no reply at the fake`); }
  if (r.length > 1) {
    duplicateReplies += r.length - 1;
    messagesWithDuplicates++;
    if (inDoubt.has(k) && policy === 'resend') duplicatesInDoubt += r.length - 1;
    else duplicatesUnexplained += r.length - 1;
    const recorded = js[0]?.platform_message_id;
    const logs = js[0]?.logs.map((l) => `${l.worker}:${l.outcome}`).join(' → ');
    examples.push(`update ${m.update_id}: ${r.length} replies (platform ids ${r.map((x) => x.platform_message_id).join(', ')}; job recorded ${recorded}; log ${logs})`);
  }
  if (r.length && js.length === 1 && js[0].platform_message_id && !r.some((x) => x.platform_message_id === js[0].platform_message_id))
    recordedMismatch++;
}
const strangers = sent.filter((s) => !summary.messages.some((m) => String(m.chat_id) === s.recipient)).length;
const eventTotal = [...events.values()].reduce((a, b) => a + b, 0);

const print = (label, value) => console.log(`${label.padEnd(58)} ${value}`);
print('deliveries sent (distinct update_ids)', summary.sent);
print('deliveries acknowledged with 200', acked.length);
print('delivery attempts in all (redeliveries included)', summary.attempts);
print('failed attempts by kind', JSON.stringify(summary.failures));
print('failed attempts the server may have stored (not refused)', summary.ambiguous);
print('webhook events stored', eventTotal);
print('acknowledged deliveries without an event', ackedWithoutEvent);
print('messages with more than one event', twoEvents);
print('reply jobs stored', exported.length);
print('jobs by state', JSON.stringify(states));
print('acknowledged deliveries without a job', ackedWithoutJob);
print('messages with more than one job', twoJobs);
print('events with more than one job', [...eventIds.values()].filter((n) => n > 1).length);
print('jobs not succeeded', notSucceeded);
print('replies received by the fake platform', sent.length);
print('replies to chats no message came from', strangers);
print('messages without a reply (lost)', lost);
print('duplicate replies (extra copies)', duplicateReplies);
print('messages that got more than one reply', messagesWithDuplicates);
print('jobs whose recorded platform message id is not at the fake', recordedMismatch);
if (inDoubtFile) {
  print(`jobs in doubt (policy ${policy})`, inDoubt.size);
  if (Object.keys(causes).length) print('  by cause (crash: process killed; no_answer: platform timeout)', JSON.stringify(causes));
  print('  held in state in_doubt (counted, not failed)', heldJobs);
  print('  of them, their reply had reached the platform', heldReached);
  print('  in state in_doubt though not held by the policy', inDoubtWrongState);
  print('duplicate replies among jobs in doubt (resend allows)', duplicatesInDoubt);
  print('duplicate replies not explained by a job in doubt', duplicatesUnexplained);
  const succeeded = states.succeeded || 0;
  print('check: acknowledged = events = jobs', `${acked.length} = ${eventTotal} = ${exported.length}`);
  print('check: jobs = succeeded + held', `${exported.length} = ${succeeded} + ${heldJobs}`);
  print('check: replies = succeeded + held that reached + duplicates', `${sent.length} = ${succeeded} + ${heldReached} + ${duplicateReplies}`);
}
print('replies recorded from a dead worker\'s journal, not resent', exported.filter((j) => j.logs.some((l) => l.outcome === 'recovered')).length);
if (examples.length) {
  console.log('\nexamples:');
  for (const e of examples.slice(0, 12)) console.log(`  ${e}`);
}
const hardFailure = acked.length !== summary.sent || ackedWithoutEvent || ackedWithoutJob || twoEvents || twoJobs || notSucceeded || lost || strangers;
console.log();
if (inDoubtFile) {
  const counts = acked.length === eventTotal && eventTotal === exported.length &&
    exported.length === (states.succeeded || 0) + heldJobs &&
    sent.length === (states.succeeded || 0) + heldReached + duplicateReplies;
  const fail = hardFailure || duplicatesUnexplained || inDoubtWrongState || !counts;
  if (hardFailure) console.log('FAIL: a message was lost, stored twice or not answered (see above).');
  if (duplicatesUnexplained)
    console.log(`FAIL: ${duplicatesUnexplained} duplicate repl${duplicatesUnexplained === 1 ? 'y' : 'ies'} not explained by a job in doubt${policy === 'hold' ? ' (policy hold: none may be sent twice)' : ''}.`);
  if (inDoubtWrongState) console.log(`FAIL: ${inDoubtWrongState} job(s) in state in_doubt under policy ${policy}.`);
  if (!counts) console.log('FAIL: the counts do not agree (see the checks above).');
  if (!fail)
    console.log(`PASS: every acknowledged delivery stored once with one job; ${duplicatesInDoubt} duplicate repl${duplicatesInDoubt === 1 ? 'y' : 'ies'}, all among the ${inDoubt.size} jobs in doubt; ${heldJobs} held.`);
  process.exit(fail ? 1 : 0);
}
if (hardFailure) console.log('FAIL: a message was lost, stored twice or not answered (see above).');
if (duplicateReplies)
  console.log(`FAIL (at-least-once window): ${duplicateReplies} duplicate repl${duplicateReplies === 1 ? 'y' : 'ies'} — a kill landed while a send was in flight (the platform accepted it, the worker had not read the answer yet); the rescued job sent it again.`);
if (!hardFailure && !duplicateReplies) console.log('PASS: every acknowledged delivery stored once, one job each, every message answered exactly once.');
process.exit(hardFailure || duplicateReplies ? 1 : 0);
