// Goal (issue 15): the doctor on a full env takes under 20 ms at the median.
// Runs against dist/ (pnpm build first). Prints each scenario against the 20 ms goal and against
// a baseline measured in the same run: supabase-jwt's diagnoseKeys alone on the same env, the
// part of the doctor that verifies signatures and JWKs.
import { readFileSync } from 'node:fs';
import { diagnoseKeys, generateSupabaseEnv } from '@supaops/supabase-jwt';
import { parseEnv, serializeEnvRecord, toEnvRecord, validateEnv } from '../dist/index.js';

const GOAL_MS = 20;
const WARMUP = 200;
const RUNS = 2000;
const HOST = 'supabase.acme.dev';

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

// every variable of the Dokploy template, generated secrets, legacy and new-style keys
const keys = await generateSupabaseEnv({ newStyleKeys: true });
const full = {
  SUPABASE_HOST: HOST,
  ...keys,
  POSTGRES_HOST: 'db',
  POSTGRES_DB: 'postgres',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'postgres',
  POOLER_PROXY_PORT_TRANSACTION: '6543',
  POOLER_DEFAULT_POOL_SIZE: '20',
  POOLER_MAX_CLIENT_CONN: '100',
  POOLER_DB_POOL_SIZE: '5',
  KONG_HTTP_PORT: '8000',
  KONG_HTTPS_PORT: '8443',
  PGRST_DB_SCHEMAS: 'public,storage,graphql_public',
  PGRST_DB_MAX_ROWS: '1000',
  PGRST_DB_EXTRA_SEARCH_PATH: 'public',
  SITE_URL: 'https://app.acme.dev',
  ADDITIONAL_REDIRECT_URLS: 'https://app.acme.dev/**,myapp://callback',
  JWT_EXPIRY: '3600',
  DISABLE_SIGNUP: 'false',
  API_EXTERNAL_URL: `https://${HOST}`,
  MAILER_URLPATHS_CONFIRMATION: '/auth/v1/verify',
  MAILER_URLPATHS_INVITE: '/auth/v1/verify',
  MAILER_URLPATHS_RECOVERY: '/auth/v1/verify',
  MAILER_URLPATHS_EMAIL_CHANGE: '/auth/v1/verify',
  ENABLE_EMAIL_SIGNUP: 'true',
  ENABLE_EMAIL_AUTOCONFIRM: 'false',
  SMTP_ADMIN_EMAIL: 'auth@mail.acme.dev',
  SMTP_HOST: 'smtp.mailprovider.net',
  SMTP_PORT: '587',
  SMTP_USER: 'apikey',
  SMTP_PASS: keys.DASHBOARD_PASSWORD.split('').reverse().join(''),
  SMTP_SENDER_NAME: 'Acme',
  ENABLE_ANONYMOUS_USERS: 'false',
  ENABLE_PHONE_SIGNUP: 'false',
  ENABLE_PHONE_AUTOCONFIRM: 'false',
  STUDIO_DEFAULT_ORGANIZATION: 'Acme',
  STUDIO_DEFAULT_PROJECT: 'Shop',
  SUPABASE_PUBLIC_URL: `https://${HOST}`,
  GLOBAL_S3_BUCKET: 'stub',
  REGION: 'stub',
  STORAGE_TENANT_ID: 'stub',
  IMGPROXY_AUTO_WEBP: 'true',
  OPENAI_API_KEY: '',
  FUNCTIONS_VERIFY_JWT: 'true',
  DOCKER_SOCKET_LOCATION: '/var/run/docker.sock',
  GOOGLE_PROJECT_ID: 'GOOGLE_PROJECT_ID',
  GOOGLE_PROJECT_NUMBER: 'GOOGLE_PROJECT_NUMBER',
};
const fullText = serializeEnvRecord(full);
const example = readFileSync(new URL('../test/fixtures/env.example', import.meta.url), 'utf8');
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
