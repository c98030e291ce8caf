// What one request through the simulated gateway costs, against a bare node:http server that
// answers the same bytes, in the same process and run (p50 of sequential keep-alive requests).
// Goal: under 2 ms per request over the baseline, so a test file with hundreds of calls stays
// in seconds; and a start + stop under 50 ms, so each test may have its own gateway.
import { Agent, createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { startSupabaseGateway } from '../dist/index.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1500);
const WARMUP = 200;
const SECRET = 'bench-jwt-secret-of-at-least-32-characters';
const sign = (role) =>
  new SignJWT({ role, iss: 'supabase', iat: 1, exp: 4102444800 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(SECRET));
const anon = await sign('anon');
const service = await sign('service_role');
const env = { JWT_SECRET: SECRET, ANON_KEY: anon, SERVICE_ROLE_KEY: service };

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function p50(fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const gw = await startSupabaseGateway({ env });
const headers = { apikey: service, authorization: `Bearer ${service}` };
const routes = ['/auth/v1/health', '/auth/v1/admin/users', '/rest/v1/', '/storage/v1/bucket'];
const bodies = {};
for (const path of routes) {
  const res = await get(gw.url + path, headers);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  bodies[path] = res.body;
}

const bare = createServer((req, res) => {
  const body = bodies[req.url] ?? Buffer.from('{}');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
await new Promise((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${bare.address().port}`;

console.log(`p50 over ${ITERATIONS} sequential keep-alive requests (service_role key)`);
for (const path of routes) {
  const base = await p50(() => get(bareUrl + path, headers));
  const sim = await p50(() => get(gw.url + path, headers));
  console.log(
    `${path.padEnd(22)} bare ${base.toFixed(3)} ms  gateway ${sim.toFixed(3)} ms  ratio ${(sim / base).toFixed(2)}x  added ${(sim - base).toFixed(3)} ms`,
  );
}
const refused = await p50(() => get(`${gw.url}/rest/v1/`, { apikey: 'wrong' }));
console.log(`${'401 from key-auth'.padEnd(22)} gateway ${refused.toFixed(3)} ms`);

agent.destroy();
await gw.stop();
await new Promise((r) => bare.close(r));

const STARTS = 50;
const t = performance.now();
for (let i = 0; i < STARTS; i++) await (await startSupabaseGateway({ env })).stop();
console.log(
  `start + stop: ${((performance.now() - t) / STARTS).toFixed(2)} ms each (mean of ${STARTS})`,
);
