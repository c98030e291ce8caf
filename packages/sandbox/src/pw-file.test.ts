import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepPwFiles, writePwFile } from './pw-file.js';

const root = mkdtempSync(join(tmpdir(), 'pwfile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the initdb password file', () => {
  it('is written 0600 and removed by its remover, twice harmlessly', () => {
    const file = writePwFile(root, 'secret', undefined);
    expect(file.path).toBe(join(root, `pwfile-${process.pid}`));
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    file.remove();
    file.remove();
    expect(readdirSync(root)).toEqual([]);
  });

  it('fails where the directory is missing, leaving nothing', () => {
    expect(() => writePwFile(join(root, 'missing'), 'secret', undefined)).toThrow(/ENOENT/);
  });

  it('sweeps only the password files of earlier starts', () => {
    writeFileSync(join(root, 'pwfile-1'), 'x');
    writeFileSync(join(root, 'pwfile-2'), 'x');
    writeFileSync(join(root, 'postgres.log'), 'kept');
    expect(sweepPwFiles(root).sort()).toEqual(['pwfile-1', 'pwfile-2']);
    expect(readdirSync(root)).toEqual(['postgres.log']);
    expect(sweepPwFiles(join(root, 'missing'))).toEqual([]);
  });
});
