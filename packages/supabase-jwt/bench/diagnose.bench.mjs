// Goal (issue 3): diagnosing a full env takes under 5 ms at the median.
// Runs against dist/ (pnpm build first). Prints each goal as a ratio against the 5 ms budget
// and against a baseline measured in the same run: the irreducible core of the check, two
// HMAC-SHA256 verifications of ANON_KEY/SERVICE_ROLE_KEY done by hand with node:crypto.
import { createHmac } from 'node:crypto';
import { diagnoseKeys, generateSupabaseEnv } from '../dist/index.js';

const BUDGET_MS = 5;
const WARMUP = 300;
const RUNS = 3000;

function measure(fn) {
  for (let i = 0; i < WARMUP; i += 1) fn();
  const samples = new Float64Array(RUNS);
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  samples.sort();
  return { median: samples[Math.floor(RUNS / 2)], p95: samples[Math.floor(RUNS * 0.95)] };
}

const fmt = (ms) => `${ms.toFixed(4)} ms`;

const full = await generateSupabaseEnv({ newStyleKeys: true });
const hmacKey = (token, secret) => {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
};
const baseline = measure(() => {
  if (
    !hmacKey(full.ANON_KEY, full.JWT_SECRET) ||
    !hmacKey(full.SERVICE_ROLE_KEY, full.JWT_SECRET)
  ) {
    throw new Error('baseline check failed');
  }
});

// A broken env exercises the slow paths: decoded-secret and demo-secret retries, JWKS mismatch.
const bugA = full.ANON_KEY.split('.')[0];
const broken = {
  ...full,
  ANON_KEY: `${bugA}.${Buffer.from('{"iat":1,"exp":1893456000,"iss":"dokploy"}').toString('base64url')}.AAAA`,
  SERVICE_ROLE_KEY: `${bugA}.${Buffer.from('{"iat":1,"exp":1893456000,"iss":"dokploy"}').toString('base64url')}.AAAA`,
  JWT_JWKS: (await generateSupabaseEnv({ newStyleKeys: true })).JWT_JWKS,
};

const scenarios = [
  ['full env, healthy (secrets + legacy + JWT_KEYS/JWKS + ES256 + sb_ keys)', full],
  ['full env, broken (bug A keys, mismatched JWKS)', broken],
];

console.log(
  `baseline: 2x HMAC-SHA256 by hand       median ${fmt(baseline.median)}  p95 ${fmt(baseline.p95)}`,
);
let failed = false;
for (const [name, env] of scenarios) {
  const findings = diagnoseKeys(env).findings.length;
  const result = measure(() => diagnoseKeys(env));
  const ratio = result.median / BUDGET_MS;
  failed ||= ratio >= 1;
  console.log(
    `diagnoseKeys: ${name} (${findings} findings)\n` +
      `  median ${fmt(result.median)}  p95 ${fmt(result.p95)}  ` +
      `budget ratio ${ratio.toFixed(3)} of ${BUDGET_MS} ms (${ratio < 1 ? 'PASS' : 'FAIL'})  ` +
      `baseline ratio ${(result.median / baseline.median).toFixed(1)}x`,
  );
}
if (failed) process.exitCode = 1;
