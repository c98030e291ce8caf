// Goal (issue 15): the doctor on a full env takes under 20 ms at the median.
// Runs against dist/ (pnpm build first). Prints each scenario against the 20 ms goal and against
// a baseline measured in the same run: supabase-jwt's diagnoseKeys alone on the same env, the
// part of the doctor that verifies signatures and JWKs.
import { diagnoseKeys, generateSupabaseEnv } from '@supaops/supabase-jwt';
import { parseEnv, serializeEnvRecord, toEnvRecord, validateEnv } from '../dist/index.js';
// the tests' fixture loader (Node strips its types): the same healthy env and .env.example
import { ENV_EXAMPLE, HOST, healthyEnv } from '../test/helpers.ts';

const GOAL_MS = 20;
const WARMUP = 200;
const RUNS = 2000;

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

const fmt = (ms) => `${ms.toFixed(3)} ms`;

// the tests' healthy env (every variable of the Dokploy template) with new-style keys on top
const full = {
  ...(await healthyEnv(new Date())),
  ...(await generateSupabaseEnv({ newStyleKeys: true })),
};
const fullText = serializeEnvRecord(full);
const example = ENV_EXAMPLE;
const options = { domain: { host: HOST, https: true }, appName: 'shop-supabase-a1b2c3' };

const baselineFull = measure(() => diagnoseKeys(full));
const exampleRecord = toEnvRecord(parseEnv(example));
const baselineExample = measure(() => diagnoseKeys(exampleRecord));

const scenarios = [
  [
    `full env as text (${Object.keys(full).length} variables, new-style keys), healthy`,
    fullText,
    baselineFull,
  ],
  ['full env as a record (no parsing), healthy', full, baselineFull],
  ['upstream .env.example as text (broken: demo keys, fake SMTP, http)', example, baselineExample],
];

console.log(
  `baseline: diagnoseKeys alone   full env median ${fmt(baselineFull.median)} p95 ${fmt(baselineFull.p95)}` +
    `   .env.example median ${fmt(baselineExample.median)} p95 ${fmt(baselineExample.p95)}`,
);
let failed = false;
for (const [name, env, baseline] of scenarios) {
  const result = validateEnv(env, options);
  const run = measure(() => validateEnv(env, options));
  const ratio = run.median / GOAL_MS;
  failed ||= ratio >= 1;
  console.log(
    `validateEnv: ${name} (${result.findings.length} findings)\n` +
      `  median ${fmt(run.median)}  p95 ${fmt(run.p95)}  ` +
      `goal ratio ${ratio.toFixed(3)} of ${GOAL_MS} ms (${ratio < 1 ? 'PASS' : 'FAIL'})  ` +
      `vs diagnoseKeys ${(run.median / baseline.median).toFixed(2)}x`,
  );
}
if (failed) process.exitCode = 1;
