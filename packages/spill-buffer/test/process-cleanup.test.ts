import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sweepStaleSpillDirs } from '../src/index.js';

const child = fileURLToPath(new URL('./fixtures/child-spill.mjs', import.meta.url));

function run(mode: 'exit' | 'wait', tmpDir: string, withoutDacOverride = false) {
  const command = [process.execPath, child, mode, tmpDir];
  // root bypasses file modes; dropping CAP_DAC_OVERRIDE makes the kernel say EACCES for real
  const argv = withoutDacOverride
    ? [
        'setpriv',
        '--inh-caps=-dac_override,-dac_read_search',
        '--bounding-set=-dac_override,-dac_read_search',
        ...command,
      ]
    : command;
  const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = new Promise<Record<string, string>>((resolve, reject) => {
    let text = '';
    proc.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]!));
    });
    proc.once('exit', (code) => reject(new Error(`child exited with ${code} before reporting`)));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { proc, first, exited };
}

describe('temp files across process ends', () => {
  it('removes the spill directory on a normal exit', async () => {
    const base = mkdtempSync(join(tmpdir(), 'spill-exit-'));
    const { first, exited } = run('exit', base);
    const { path } = await first;
    await exited;
    expect(existsSync(dirname(path!))).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('removes the spill directory on %s', async (signal) => {
    const base = mkdtempSync(join(tmpdir(), 'spill-sig-'));
    const { proc, first, exited } = run('wait', base);
    const { path } = await first;
    expect(existsSync(path!)).toBe(true);
    proc.kill(signal);
    await exited;
    expect(existsSync(dirname(path!))).toBe(false);
  });

  it('leaves files after SIGKILL, and the next start sweeps them', async () => {
    const base = mkdtempSync(join(tmpdir(), 'spill-kill-'));
    const { proc, first, exited } = run('wait', base);
    const { path } = await first;
    proc.kill('SIGKILL');
    await exited;
    expect(existsSync(path!)).toBe(true);
    expect(sweepStaleSpillDirs(base)).toEqual([dirname(path!)]);
    expect(existsSync(dirname(path!))).toBe(false);
  });

  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  it.skipIf(!root)(
    'reports EACCES as SpillPermissionError (root without CAP_DAC_OVERRIDE)',
    async () => {
      const base = mkdtempSync(join(tmpdir(), 'spill-eacces-'));
      chownSync(base, 65534, 65534);
      chmodSync(base, 0o700);
      const { first, exited } = run('exit', base, true);
      const report = await first;
      await exited;
      expect(report.code).toBe('SPILL_PERMISSION_DENIED');
      expect(report.name).toBe('SpillPermissionError');
      expect(report.message).toMatch(/writable/);
    },
  );
});
