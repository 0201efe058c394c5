// A tiny round-robin HTTP proxy for bench/multi.sh: each request goes to the next of the given
// servers over kept-alive connections. Prints its URL on the first line.
//   node bench/lib/round_robin.mjs PORT http://127.0.0.1:A http://127.0.0.1:B …
import http from 'node:http';

const [portArg, ...upstreams] = process.argv.slice(2);
const targets = upstreams.map((u) => new URL(u));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let next = 0;
const server = http.createServer((req, res) => {
  const t = targets[next++ % targets.length];
  const up = http.request(
    { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers, agent },
    (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    },
  );
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(up);
});
server.keepAliveTimeout = 60000;
server.listen(Number(portArg), '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
