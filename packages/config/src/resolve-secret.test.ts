import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretReferenceError } from './errors.js';
import { resolveSecret } from './resolve-secret.js';
import { openSecretStore } from './secret-store.js';
import { tempHome } from './temp-home.test-helper.js';

const KEY = 'a'.repeat(64);

async function failure(promise: Promise<unknown>): Promise<SecretReferenceError> {
  const error = await promise.catch((e) => e);
  expect(SecretReferenceError.isInstance(error)).toBe(true);
  return error as SecretReferenceError;
}

describe('resolveSecret', () => {
  it('reads env: from the given environment', async () => {
    expect(await resolveSecret('env:DB_PW', { env: { DB_PW: 'pw-1' } })).toBe('pw-1');
  });

  it('names a missing or empty environment variable', async () => {
    const missing = await failure(resolveSecret('env:NOT_SET', { env: {} }));
    expect(missing.reason).toBe('env-missing');
    expect(missing.ref).toBe('env:NOT_SET');
    expect(missing.message).toMatch(
      /environment variable NOT_SET is not set\. Fix: export NOT_SET=/,
    );
    const empty = await failure(resolveSecret('env:EMPTY', { env: { EMPTY: '' } }));
    expect(empty.message).toMatch(/\(it is empty\)/);
  });

  it('reads file: relative to baseDir, dropping one final newline', async () => {
    const t = await tempHome();
    await mkdir(path.join(t.project, 'secrets'));
    await writeFile(path.join(t.project, 'secrets', 'pw'), 'line1\nline2\n');
    expect(await resolveSecret('file:secrets/pw', { baseDir: t.project })).toBe('line1\nline2');
    await writeFile(path.join(t.project, 'crlf'), 'x\r\n');
    expect(await resolveSecret(`file:${path.join(t.project, 'crlf')}`, {})).toBe('x');
  });

  it('names a missing file with its absolute path', async () => {
    const t = await tempHome();
    const error = await failure(resolveSecret('file:nope.txt', { baseDir: t.project }));
    expect(error.reason).toBe('file-missing');
    expect(error.message).toContain(path.join(t.project, 'nope.txt'));
    expect(error.message).toMatch(/does not exist\. Fix:/);
    const dir = await failure(resolveSecret(`file:${t.project}`, {}));
    expect(dir.reason).toBe('file-unreadable');
  });

  it('reads store: from a store and names a missing entry', async () => {
    const t = await tempHome();
    const store = await openSecretStore({ path: path.join(t.root, 's.json'), key: KEY });
    await store.set('prod/pw', 'from-store');
    expect(await resolveSecret('store:prod/pw', { store })).toBe('from-store');
    const missing = await failure(resolveSecret('store:other', { store }));
    expect(missing.reason).toBe('store-missing');
    expect(missing.message).toMatch(/no entry "other"\. Fix: supaops secret set other/);
    const noStore = await failure(resolveSecret('store:prod/pw', {}));
    expect(noStore.reason).toBe('store-unavailable');
  });

  it('refuses a literal without echoing it', async () => {
    const error = await failure(resolveSecret('hunter2-literal', {}));
    expect(error.reason).toBe('invalid');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toMatch(/Fix: .*env:NAME/);
  });

  it('validates its context', async () => {
    await expect(resolveSecret('env:X', { store: 'nope' as never })).rejects.toThrow(/store/);
  });
});
