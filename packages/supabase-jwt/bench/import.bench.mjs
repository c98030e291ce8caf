// Goal: importing the package and running the first diagnoseKeys() costs at most 1.5x importing
// zod alone (the one dependency the import must load), both measured in this run: what the
// package adds on a cold start (`supaops keys check`) stays small next to what it cannot avoid.
// Runs against dist/ (pnpm build first); BENCH_DIST points at another build to compare with.
// Each sample is a fresh `node` (compile cache on, as the CLI has it), timed inside the process.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateSupabaseEnv } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.BENCH_DIST ?? path.join(here, '../dist/index.js'));
const runs = Number(process.env.BENCH_RUNS ?? 21);
const GOAL = 1.5;

const work = await mkdtemp(path.join(tmpdir(), 'supabase-jwt-import-'));
const envFile = path.join(work, 'env.json');
await writeFile(envFile, JSON.stringify(await generateSupabaseEnv()));
const zodUrl = import.meta.resolve('zod');

// prints [wall ms, cpu ms, whether jose was resolved] of the import (and, for the package, the
// first diagnosis): jose is for signing and verifying and must not load on this path
const probe = (url, diagnose) => `
import module from 'node:module';
import { readFileSync } from 'node:fs';
module.enableCompileCache?.();
let jose = false;
module.registerHooks?.({
  resolve(specifier, context, next) {
    if (specifier === 'jose') jose = true;
    return next(specifier, context);
  },
});
const env = JSON.parse(readFileSync(${JSON.stringify(envFile)}, 'utf8'));
const cpu = process.cpuUsage();
const start = performance.now();
const m = await import(${JSON.stringify(url)});
${diagnose ? 'if (!m.diagnoseKeys(env).ok) throw new Error("generated env did not diagnose clean");' : ''}
const wall = performance.now() - start;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify([wall, (used.user + used.system) / 1000, jose]));`;

const variants = {
  'import zod (baseline)': probe(zodUrl, false),
  'import package + first diagnoseKeys': probe(pathToFileURL(dist).href, true),
};
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
// two warm-up rounds fill the page cache and the compile cache, as any second start has them
for (let i = 0; i < runs + 2; i += 1) {
  for (const [name, code] of Object.entries(variants)) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: here,
      encoding: 'utf8',
    });
    if (i >= 2) samples[name].push(JSON.parse(out));
  }
}
await rm(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = (name) => median(samples[name].map(([ms]) => ms));
const cpu = (name) => median(samples[name].map(([, ms]) => ms));
const base = 'import zod (baseline)';
console.log(
  `import cost, median of ${runs} interleaved fresh processes (load average ${(await import('node:os')).loadavg()[0].toFixed(1)}), ${path.relative(process.cwd(), dist)}`,
);
let failed = false;
for (const name of Object.keys(variants)) {
  const ratio = wall(name) / wall(base);
  const line = `  ${name.padEnd(36)} wall ${wall(name).toFixed(1).padStart(6)} ms   cpu ${cpu(name).toFixed(1).padStart(6)} ms`;
  if (name === base) {
    console.log(line);
    continue;
  }
  const joseLoaded = samples[name].some(([, , jose]) => jose);
  failed ||= ratio > GOAL || joseLoaded;
  console.log(
    `${line}   ${ratio.toFixed(2)}x baseline (cpu ${(cpu(name) / cpu(base)).toFixed(2)}x; goal <= ${GOAL}x: ${ratio <= GOAL ? 'met' : 'NOT met'})`,
  );
  console.log(`  jose loaded by import + diagnosis: ${joseLoaded ? 'yes (NOT met)' : 'no (met)'}`);
}
if (failed) process.exitCode = 1;
