// pnpm bench (second part): readSandboxLog on a large server log.
//   goal: the last 100 lines of a 128 MiB log in < 20 ms (it reads the end only);
//   baseline, same run: readFile of the whole log + split + the last 100 lines.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSandboxLog } from '../dist/index.js';

const SIZE_MIB = Number(process.env.BENCH_LOG_MIB ?? 128);
const ROUNDS = Number(process.env.BENCH_LOG_ROUNDS ?? 15);
const BASE_ROUNDS = Number(process.env.BENCH_LOG_BASE_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now();

const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-log-bench-'));
try {
  mkdirSync(dataDir, { recursive: true });
  // a sandbox's files without a server: the state (as state-file.ts writes it) and its log
  writeFileSync(
    join(dataDir, 'state.json'),
    JSON.stringify({
      format: 1,
      initialised: true,
      port: 5432,
      password: 'bench-password-0123456789',
      superuser: 'supabase_admin',
      clusterDir: dataDir,
      binaries: { dir: '/nonexistent', source: 'PATH' },
      major: '15',
      createdAt: new Date().toISOString(),
    }),
    { mode: 0o600 },
  );
  const logFile = join(dataDir, 'postgres.log');
  const fd = openSync(logFile, 'w');
  const t0 = Date.UTC(2026, 0, 1);
  let written = 0;
  let i = 0;
  while (written < SIZE_MIB * 1024 * 1024) {
    const lines = [];
    for (let j = 0; j < 10_000; j++, i++) {
      const ts = new Date(t0 + i * 10).toISOString().replace('T', ' ').replace('Z', ' UTC');
      lines.push(
        `${ts} [${1000 + (i % 50)}] LOG:  statement: SELECT ${i} FROM public.bench_table WHERE id = ${i}\n`,
      );
    }
    written += writeSync(fd, lines.join(''));
  }
  closeSync(fd);

  const ours = [];
  let last;
  for (let r = 0; r < ROUNDS; r++) {
    const t = now();
    last = await readSandboxLog({ dataDir, env: { HOME: dataDir }, tail: 100 });
    ours.push(now() - t);
  }
  const base = [];
  let baseLines;
  for (let r = 0; r < BASE_ROUNDS; r++) {
    const t = now();
    baseLines = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean).slice(-100);
    base.push(now() - t);
  }
  if (last.lines.length !== 100 || !baseLines[99].endsWith(last.lines[99].text)) {
    throw new Error('readSandboxLog and the baseline disagree on the last line');
  }
  const o = median(ours);
  const b = median(base);
  console.log(
    `readSandboxLog tail 100 of a ${(written / 1048576).toFixed(0)} MiB log: ${o.toFixed(2)} ms (goal < 20 ms: ${(o / 20).toFixed(2)}x of it); ` +
      `baseline readFile + split: ${b.toFixed(1)} ms; ratio ${(o / b).toFixed(4)}`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
