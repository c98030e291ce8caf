// Client overhead over raw HTTP on loopback (p50), measured in one run.
// Goal: the client adds under 1 ms per call over a raw `fetch` of the same request.
// The peer is a trivial Dokploy-shaped server in a worker thread, so its work is the same for
// every variant and does not share the event loop with the measured code.
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import axios from 'axios';
import { createDokployClient } from '../dist/index.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const WARMUP = 300;
const API_KEY = 'bench_key_0123456789abcdef0123456789';

const serverSource = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const env = Array.from({ length: 60 }, (_, i) => 'KEY_' + i + (i % 5 === 0 ? '_PASSWORD' : '') + '=value-' + i + '-0123456789').join('\\n');
const compose = JSON.stringify({
  composeId: 'c1', name: 'supabase', appName: 'supabase-abc123', env, composeFile: 'services:\\n  db:\\n    image: postgres\\n'.repeat(40),
  sourceType: 'raw', composeType: 'docker-compose', composeStatus: 'done', environmentId: 'e1', serverId: null,
  createdAt: new Date().toISOString(),
  deployments: Array.from({ length: 10 }, (_, i) => ({ deploymentId: 'd' + i, status: 'done', title: 't', createdAt: new Date().toISOString() })),
  domains: [{ domainId: 'dom1', host: 'x.sslip.io', https: false, certificateType: 'none', port: 8000, serviceName: 'kong' }],
  mounts: Array.from({ length: 15 }, (_, i) => ({ mountId: 'm' + i, type: 'file', filePath: '/f' + i, content: 'x'.repeat(200), mountPath: '' })),
});
const updated = JSON.stringify({ composeId: 'c1', name: 'supabase', appName: 'supabase-abc123', env: 'A=1' });
const server = createServer((req, res) => {
  if (req.headers['x-api-key'] !== '${API_KEY}') { res.writeHead(401, { 'content-type': 'application/json' }); res.end('{"message":"Unauthorized"}'); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = req.method === 'POST' ? updated : compose;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => { if (m === 'stop') server.close(() => process.exit(0)); });
`;

const worker = new Worker(serverSource, { eval: true });
const port = await new Promise((resolve) => worker.once('message', resolve));
const base = `http://127.0.0.1:${port}`;

const client = createDokployClient({
  baseUrl: base,
  apiKey: API_KEY,
  version: '0.30.2',
  retry: false,
});

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function rawHttpGet(path) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { agent, headers: { 'x-api-key': API_KEY, accept: 'application/json' } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// axios configured as the client's transport configures it: the HTTP library's share
const rawAxios = axios.create({
  adapter: 'http',
  proxy: false,
  responseType: 'text',
  transformRequest: [(d) => d],
  transformResponse: [(d) => d],
  validateStatus: () => true,
});

const variants = {
  'raw fetch GET compose.one': async () => {
    const res = await fetch(`${base}/api/compose.one?composeId=c1`, {
      headers: { 'x-api-key': API_KEY, accept: 'application/json' },
    });
    JSON.parse(await res.text());
  },
  'raw node:http GET compose.one': () => rawHttpGet('/api/compose.one?composeId=c1'),
  'raw axios GET compose.one': async () => {
    const res = await rawAxios.get(`${base}/api/compose.one?composeId=c1`, {
      headers: { 'x-api-key': API_KEY, accept: 'application/json' },
    });
    JSON.parse(res.data);
  },
  'client compose.one': () => client.compose.one({ composeId: 'c1' }),
  'raw fetch POST compose.update': async () => {
    const res = await fetch(`${base}/api/compose.update`, {
      method: 'POST',
      headers: {
        'x-api-key': API_KEY,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ composeId: 'c1', env: 'A=1' }),
    });
    JSON.parse(await res.text());
  },
  'client compose.update': () => client.compose.update({ composeId: 'c1', env: 'A=1' }),
};

const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < WARMUP; i++) for (const fn of Object.values(variants)) await fn();
// interleave the variants so drift (GC, CPU contention) hits all of them alike
for (let i = 0; i < ITERATIONS; i++) {
  for (const [name, fn] of Object.entries(variants)) {
    const t0 = performance.now();
    await fn();
    samples[name].push(performance.now() - t0);
  }
}
worker.postMessage('stop');
agent.destroy();

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const p50 = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, pct(v, 50)]));
const fmt = (ms) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
console.log(
  `dokploy-client overhead over raw HTTP on loopback (${ITERATIONS} calls each, interleaved, node ${process.version})`,
);
for (const [k, v] of Object.entries(samples))
  console.log(`  ${k.padEnd(32)} p50 ${fmt(p50[k])}   p90 ${fmt(pct(v, 90))}`);
const goal = (label, clientName, rawName) => {
  const diff = p50[clientName] - p50[rawName];
  const ratio = p50[clientName] / p50[rawName];
  console.log(
    `GOAL ${label}: client adds ${(diff * 1000).toFixed(0)} µs at p50 over raw fetch (ratio ${ratio.toFixed(2)}x; goal < 1000 µs) → ${diff < 1 ? 'PASS' : 'FAIL'}`,
  );
};
goal('GET compose.one', 'client compose.one', 'raw fetch GET compose.one');
const axiosShare = p50['raw axios GET compose.one'] - p50['raw fetch GET compose.one'];
console.log(
  `  of which axios itself (raw axios vs raw fetch, GET): ${(axiosShare * 1000).toFixed(0)} µs; the client over raw axios: ${((p50['client compose.one'] - p50['raw axios GET compose.one']) * 1000).toFixed(0)} µs`,
);
goal('POST compose.update', 'client compose.update', 'raw fetch POST compose.update');
