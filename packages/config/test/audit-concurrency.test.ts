import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/append-child.mjs', import.meta.url));
const COUNT = 300;
const PAD = 6000; // each line is ~6 KiB, more than a pipe buffer's atomic size

function run(who: string, env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, who, String(COUNT), String(PAD)], {
      env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => {
      stderr += d;
    });
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`child ${who}: ${code} ${stderr}`)),
    );
  });
}

const root = await mkdtemp(path.join(os.tmpdir(), 'supaops-audit-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the audit log under concurrent processes', () => {
  it('keeps every line whole when two processes append at once', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      XDG_CONFIG_HOME: path.join(root, 'config'),
      XDG_DATA_HOME: path.join(root, 'data'),
      XDG_STATE_HOME: path.join(root, 'state'),
      XDG_CACHE_HOME: path.join(root, 'cache'),
    };
    await Promise.all([run('a', env, root), run('b', env, root)]);
    const file = path.join(root, 'state', 'supaops', 'audit.jsonl');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2 * COUNT);
    const seen: Record<string, number[]> = { a: [], b: [] };
    for (const line of lines) {
      const entry = JSON.parse(line);
      const who = entry.action.slice(-1);
      expect(entry.args.payload).toBe(who.repeat(PAD));
      seen[who]?.push(entry.args.i);
    }
    // each process's entries are all there, in its own order
    const expected = Array.from({ length: COUNT }, (_, i) => i);
    expect(seen.a).toEqual(expected);
    expect(seen.b).toEqual(expected);
  });
});
