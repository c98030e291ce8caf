import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxValidationError } from './errors.js';
import { availablePreloadLibraries, libraryDirs, preloadSettings } from './preload-libraries.js';

const root = mkdtempSync(join(tmpdir(), 'sandbox-preload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An install tree with `bin/` and the given module files under `libDir` (relative to it). */
function install(name: string, libDir: string, modules: string[]): string {
  const bin = join(root, name, 'bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(root, name, libDir), { recursive: true });
  for (const file of modules) writeFileSync(join(root, name, libDir, file), '');
  return bin;
}

describe('preload libraries', () => {
  it('finds the libraries in the Debian layout (lib/) and preloads pg_cron for postgres', () => {
    const bin = install('debian', 'lib', ['pg_cron.so', 'pg_stat_statements.so', 'pgaudit.so']);
    expect(availablePreloadLibraries(bin)).toEqual(['pg_stat_statements', 'pgaudit', 'pg_cron']);
    expect(preloadSettings(bin)).toEqual({
      shared_preload_libraries: 'pg_stat_statements,pgaudit,pg_cron',
      'cron.database_name': 'postgres',
    });
    expect(preloadSettings(bin, 'app')['cron.database_name']).toBe('app');
  });

  it('finds them in the embedded/source layout (lib/postgresql/), .dylib too, without pg_cron', () => {
    const bin = install('embedded', join('lib', 'postgresql'), ['pg_stat_statements.dylib']);
    expect(preloadSettings(bin)).toEqual({ shared_preload_libraries: 'pg_stat_statements' });
  });

  it('asks pg_config for the library directory first, and preloads nothing when none is there', () => {
    const bin = install('custom', 'elsewhere', ['pg_cron.so']);
    const libs = join(root, 'custom', 'elsewhere');
    writeFileSync(join(bin, 'pg_config'), `#!/bin/sh\necho ${libs}\n`);
    chmodSync(join(bin, 'pg_config'), 0o755);
    expect(libraryDirs(bin)[0]).toBe(libs);
    expect(availablePreloadLibraries(bin)).toEqual(['pg_cron']);
    writeFileSync(join(bin, 'pg_config'), '#!/bin/sh\nexit 3\n');
    expect(libraryDirs(bin)).toHaveLength(2);
    expect(preloadSettings(install('bare', 'lib', []))).toEqual({});
    expect(() => availablePreloadLibraries('')).toThrow(SandboxValidationError);
    expect(() => preloadSettings(bin, '')).toThrow(SandboxValidationError);
  });
});
