import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretStoreError } from './errors.js';
import { openSecretStore } from './secret-store.js';
import { tempHome } from './temp-home.test-helper.js';

// low scrypt cost keeps the tests fast; the default is recorded the same way
const FAST = { N: 1024, r: 8, p: 1 };
const SECRET = 'sb_secret_Zm9vYmFyYmF6cXV4MTIzNDU2';

async function storeError(promise: Promise<unknown>): Promise<SecretStoreError> {
  const error = await promise.catch((e) => e);
  expect(SecretStoreError.isInstance(error)).toBe(true);
  return error as SecretStoreError;
}

describe('the secret store', () => {
  it('round-trips with a passphrase, 0600, and never holds plaintext on disk', async () => {
    const t = await tempHome();
    const file = path.join(t.root, 'secrets.json');
    const store = await openSecretStore({ path: file, passphrase: 'correct horse', scrypt: FAST });
    expect(await store.list()).toEqual([]);
    expect(await store.get('x')).toBeUndefined();
    await store.set('prod/service-key', SECRET);
    await store.set('b', 'ünïcødé value');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    const onDisk = JSON.parse(text);
    expect(onDisk.kdf).toEqual({ name: 'scrypt', salt: expect.any(String), ...FAST });

    const reopened = await openSecretStore({ path: file, passphrase: 'correct horse' });
    expect(await reopened.get('prod/service-key')).toBe(SECRET);
    expect(await reopened.get('b')).toBe('ünïcødé value');
    expect(await reopened.list()).toEqual(['b', 'prod/service-key']);
    expect(await reopened.delete('b')).toBe(true);
    expect(await reopened.delete('b')).toBe(false);
    // the first handle sees the other's change
    expect(await store.list()).toEqual(['prod/service-key']);
  });

  it('rejects a wrong passphrase, saying so', async () => {
    const t = await tempHome();
    const file = path.join(t.root, 'secrets.json');
    const store = await openSecretStore({ path: file, passphrase: 'right', scrypt: FAST });
    await store.set('a', 'value');
    const error = await storeError(openSecretStore({ path: file, passphrase: 'wrong' }));
    expect(error.reason).toBe('wrong-key');
    expect(error.message).toMatch(/wrong passphrase\. Fix:/);
    expect(error.message).not.toContain('wrong"');
  });

  it('uses a raw 32-byte key from SUPAOPS_SECRET_KEY (hex or base64)', async () => {
    const t = await tempHome();
    const file = path.join(t.root, 'secrets.json');
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    const a = await openSecretStore({ path: file, env: { SUPAOPS_SECRET_KEY: hex } });
    await a.set('k', 'v');
    expect(JSON.parse(await readFile(file, 'utf8')).kdf).toEqual({ name: 'raw' });
    const b = await openSecretStore({ path: file, env: { SUPAOPS_SECRET_KEY: b64 } });
    expect(await b.get('k')).toBe('v');
    const custom = await openSecretStore({ path: file, keyEnv: 'MY_KEY', env: { MY_KEY: hex } });
    expect(await custom.get('k')).toBe('v');
    const wrong = await storeError(openSecretStore({ path: file, key: 'cd'.repeat(32) }));
    expect(wrong.message).toMatch(/wrong key/);
  });

  it('explains a key of the wrong kind or shape, and a missing key', async () => {
    const t = await tempHome();
    const file = path.join(t.root, 'secrets.json');
    const bad = await storeError(openSecretStore({ path: file, key: 'short' }));
    expect(bad.reason).toBe('bad-key');
    expect(bad.message).toMatch(/openssl rand -base64 32/);
    const none = await storeError(openSecretStore({ path: file, env: {} }));
    expect(none.reason).toBe('no-key');
    expect(none.message).toMatch(/SUPAOPS_SECRET_KEY.*SUPAOPS_SECRET_PASSPHRASE/);

    const raw = await openSecretStore({ path: file, key: 'ab'.repeat(32) });
    await raw.set('x', 'y');
    const pass = await storeError(openSecretStore({ path: file, passphrase: 'p' }));
    expect(pass.reason).toBe('key-mismatch');
    const other = path.join(t.root, 'other.json');
    await (await openSecretStore({ path: other, passphrase: 'p', scrypt: FAST })).set('x', 'y');
    const rawOnPass = await storeError(openSecretStore({ path: other, key: 'ab'.repeat(32) }));
    expect(rawOnPass.reason).toBe('key-mismatch');
    // a passphrase from the environment opens it
    const fromEnv = await openSecretStore({ path: other, env: { SUPAOPS_SECRET_PASSPHRASE: 'p' } });
    expect(await fromEnv.get('x')).toBe('y');
  });

  it('finds a tampered entry and a file that is no store', async () => {
    const t = await tempHome();
    const file = path.join(t.root, 'secrets.json');
    const store = await openSecretStore({ path: file, key: 'ab'.repeat(32) });
    await store.set('a', 'value-a');
    await store.set('b', 'value-b');
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    // swapping ciphertexts between names is caught by the associated data
    onDisk.entries.a = onDisk.entries.b;
    await writeFile(file, JSON.stringify(onDisk));
    const tampered = await storeError(store.get('a'));
    expect(tampered.reason).toBe('corrupt');
    expect(await store.get('b')).toBe('value-b');

    await writeFile(file, '{"not":"a store"}');
    expect((await storeError(openSecretStore({ path: file, key: 'ab'.repeat(32) }))).reason).toBe(
      'corrupt',
    );
    await writeFile(file, 'garbage');
    expect((await storeError(store.list())).reason).toBe('corrupt');
  });

  it('defaults to <data>/secrets.json, or SUPAOPS_SECRET_STORE', async () => {
    const t = await tempHome();
    const env = { ...t.env, SUPAOPS_SECRET_KEY: 'ab'.repeat(32) };
    const store = await openSecretStore({ env });
    await store.set('a', 'b');
    const expected = path.join(t.env.XDG_DATA_HOME as string, 'supaops', 'secrets.json');
    expect((await stat(expected)).isFile()).toBe(true);
    const elsewhere = path.join(t.root, 'elsewhere.json');
    await (await openSecretStore({ env: { ...env, SUPAOPS_SECRET_STORE: elsewhere } })).set(
      'c',
      'd',
    );
    expect((await stat(elsewhere)).isFile()).toBe(true);
  });

  it('validates names and options', async () => {
    const t = await tempHome();
    const store = await openSecretStore({
      path: path.join(t.root, 's.json'),
      key: 'ab'.repeat(32),
    });
    await expect(store.set('bad name', 'x')).rejects.toThrow(/not a valid secret name/);
    await expect(openSecretStore({ path: '', key: 'x' })).rejects.toThrow(/path/);
  });

  it('uses the default scrypt cost when none is given', async () => {
    const t = await tempHome();
    const file = path.join(t.root, 's.json');
    await (await openSecretStore({ path: file, passphrase: 'p' })).set('a', 'b');
    expect(JSON.parse(await readFile(file, 'utf8')).kdf).toMatchObject({ N: 32768, r: 8, p: 1 });
  });

  it('reports a store it cannot read or write', async () => {
    const t = await tempHome();
    const blocker = path.join(t.root, 'blocker');
    await writeFile(blocker, 'x');
    const unreadable = await storeError(
      openSecretStore({ path: path.join(blocker, 's.json'), key: 'ab'.repeat(32) }),
    );
    expect(unreadable.reason).toBe('io');
    expect(unreadable.message).toMatch(/Cannot read the secret store/);
    // fresh store under a directory that appears as a file before the first write
    const later = path.join(t.root, 'later');
    const store = await openSecretStore({
      path: path.join(later, 'sub', 's.json'),
      key: 'ab'.repeat(32),
    });
    await writeFile(later, 'x');
    expect((await storeError(store.set('a', 'b'))).reason).toBe('io');
  });
});
