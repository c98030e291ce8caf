import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultClusterDir, defaultSandboxDataDir, isRoot, lookupOsUser } from '@supaops/sandbox';

/** The file the test run's sandbox data dirs are listed in; set by the kit's globalSetup. */
export const SANDBOX_LEDGER_ENV = 'SUPAOPS_TEST_SANDBOX_LEDGER';

/**
 * Notes the sandbox data dir of a temp HOME's env, so the end of the run can check that its
 * cluster was deleted. Call it when the HOME is made and again in its cleanup (a test may have
 * moved the data dir meanwhile, e.g. with SUPAOPS_DATA_DIR). Outside a kit run it does nothing.
 */
export function recordSandboxHome(env: NodeJS.ProcessEnv): void {
  const ledger = process.env[SANDBOX_LEDGER_ENV];
  if (!ledger) return;
  appendFileSync(ledger, `${defaultSandboxDataDir(env)}\n`);
}

/**
 * Where @supaops/sandbox puts the cluster of `dataDir` when nobody said: the data dir itself,
 * or as root a directory under the `postgres` user's home (its defaultClusterDir).
 */
export function sandboxClusterDir(dataDir: string): string {
  return defaultClusterDir(dataDir, isRoot() ? lookupOsUser('postgres') : undefined);
}

export interface SandboxLeak {
  dataDir: string;
  /** What is still there: the state file (HOME not cleaned) and/or the cluster dir. */
  left: string[];
}

/** The recorded sandboxes whose state or cluster is still on disk. */
export function sandboxLeaks(ledger: string): SandboxLeak[] {
  let text = '';
  try {
    text = readFileSync(ledger, 'utf8');
  } catch {
    return [];
  }
  const leaks: SandboxLeak[] = [];
  for (const dataDir of new Set(text.split('\n').filter(Boolean))) {
    const left = [join(dataDir, 'state.json'), sandboxClusterDir(dataDir)].filter((p) =>
      existsSync(p),
    );
    if (left.length > 0) leaks.push({ dataDir, left });
  }
  return leaks;
}

/**
 * Starts the ledger for one run (in the environment the test workers inherit) and returns the
 * check for its end: it throws, naming each sandbox a test left behind and the fix, so a leak
 * fails the run instead of filling the machine. Only this run's sandboxes are looked at.
 */
export function startSandboxLeakGuard(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'supaops-ledger-'));
  const ledger = join(dir, 'sandboxes');
  const previous = process.env[SANDBOX_LEDGER_ENV];
  process.env[SANDBOX_LEDGER_ENV] = ledger;
  return () => {
    const leaks = sandboxLeaks(ledger);
    if (previous === undefined) delete process.env[SANDBOX_LEDGER_ENV];
    else process.env[SANDBOX_LEDGER_ENV] = previous;
    rmSync(dir, { recursive: true, force: true });
    if (leaks.length === 0) return;
    const lines = leaks.map((l) => `  ${l.dataDir}: ${l.left.join(', ')}`);
    throw new Error(
      `This test run left ${leaks.length} sandbox(es) behind:\n${lines.join('\n')}\n` +
        'Fix: clean each temp HOME with resetSandbox({ env }) using the env the subprocess had, before removing the HOME (the test helpers do it), and wait for the subprocess to exit first.',
    );
  };
}
