import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackupValidationError, PgToolVersionError } from './errors.js';
import { findPgTool, parsePgVersion } from './pg-tools.js';

const dirs: string[] = [];
async function tracked(prefix: string): Promise<string> {
  const dir = await mkdtemp(prefix);
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function fakeTool(name: string, version: string): Promise<string> {
  const dir = await tracked(join(tmpdir(), 'fake-pg-'));
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\necho "${name} (PostgreSQL) ${version}"\n`);
  await chmod(path, 0o755);
  return dir;
}

describe('findPgTool', () => {
  it('parses versions', () => {
    expect(parsePgVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-1.pgdg120+1)')).toEqual({
      version: '15.18',
      major: 15,
    });
    expect(parsePgVersion('pg_dump (PostgreSQL) 17')).toEqual({ version: '17', major: 17 });
    expect(parsePgVersion('nonsense')).toBeUndefined();
  });

  it('finds the installed client tools with their versions', async () => {
    const dump = await findPgTool('pg_dump');
    expect(dump.major).toBeGreaterThanOrEqual(15);
    const restore = await findPgTool('pg_restore', { minMajor: dump.major });
    expect(restore.major).toBe(dump.major);
    const versioned = await findPgTool('pg_dump', { env: { PATH: '' } });
    expect(versioned.path).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin\/pg_dump$/);
  });

  it('names the major needed when only older tools exist', async () => {
    const dir = await fakeTool('pg_dump', '14.3');
    const error = await findPgTool('pg_dump', { pgBin: dir, minMajor: 16 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgToolVersionError);
    expect((error as PgToolVersionError).requiredMajor).toBe(16);
    expect((error as Error).message).toContain('pg_dump 16 or newer is needed');
    expect((error as Error).message).toContain('14.3');
    const fromEnv = await findPgTool('pg_dump', { env: { PG_BIN: dir, PATH: '' }, minMajor: 14 });
    expect(fromEnv).toMatchObject({ path: join(dir, 'pg_dump'), version: '14.3' });
  });

  it('reports a missing tool and invalid options', async () => {
    const empty = await tracked(join(tmpdir(), 'no-pg-'));
    await expect(findPgTool('pg_dump', { pgBin: empty })).rejects.toMatchObject({
      code: 'PG_TOOL_NOT_FOUND',
    });
    await expect(findPgTool('rm' as never)).rejects.toBeInstanceOf(BackupValidationError);
  });
});
