// Prints COUNT server-signed web chat visitor tokens (GET /widget/:key issues one per call), one a
// line: node bench/lib/visitor_tokens.mjs BASE_URL KEY [COUNT=2000]. webchat.lua reads them.
const [base, key, countArg = '2000'] = process.argv.slice(2);
const count = Number(countArg);
const one = async () => (await (await fetch(`${base}/widget/${key}`)).json()).visitor_token;
const out = [];
for (let i = 0; i < count; i += 50) out.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, one))));
console.log(out.join('\n'));
