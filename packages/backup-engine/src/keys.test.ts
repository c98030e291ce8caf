import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackupKeyError, BackupValidationError } from './errors.js';
import { deriveKey, parseRawKey } from './keys.js';

const dirs: string[] = [];
async function tracked(prefix: string): Promise<string> {
  const dir = await mkdtemp(prefix);
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('deriveKey', () => {
  it('reads 32-byte key files as raw bytes, hex or base64', async () => {
    const dir = await tracked(join(tmpdir(), 'keys-'));
    const key = randomBytes(32);
    for (const [name, data] of [
      ['raw', key],
      ['hex', `${key.toString('hex')}\n`],
      ['b64', key.toString('base64')],
    ] as const) {
      await writeFile(join(dir, name), data);
      const master = await deriveKey({ keyFile: join(dir, name) });
      expect(master.key.equals(key)).toBe(true);
      expect(master.kdf).toEqual({ name: 'none' });
    }
    await writeFile(join(dir, 'short'), 'abc');
    await expect(deriveKey({ keyFile: join(dir, 'short') })).rejects.toMatchObject({
      code: 'BACKUP_KEY_MALFORMED',
    });
    await expect(deriveKey({ keyFile: join(dir, 'missing') })).rejects.toMatchObject({
      code: 'BACKUP_KEY_FILE_UNREADABLE',
    });
  });

  it('reads a key from an environment variable', async () => {
    const key = randomBytes(32);
    process.env.SUPAOPS_TEST_BACKUP_KEY = key.toString('hex');
    expect((await deriveKey({ keyEnv: 'SUPAOPS_TEST_BACKUP_KEY' })).key.equals(key)).toBe(true);
    delete process.env.SUPAOPS_TEST_BACKUP_KEY;
    await expect(deriveKey({ keyEnv: 'SUPAOPS_TEST_BACKUP_KEY' })).rejects.toMatchObject({
      code: 'BACKUP_KEY_ENV_MISSING',
    });
  });

  it('derives the same key from a passphrase and stored parameters, never storing key material', async () => {
    const first = await deriveKey({ passphrase: 'my passphrase', scrypt: { logN: 10 } });
    expect(first.kdf).toMatchObject({ name: 'scrypt', logN: 10, r: 8, p: 1 });
    expect(JSON.stringify(first.kdf)).not.toContain(first.key.toString('base64'));
    const again = await deriveKey({ passphrase: 'my passphrase' }, first.kdf);
    expect(again.key.equals(first.key)).toBe(true);
    const other = await deriveKey({ passphrase: 'my passphrasf' }, first.kdf);
    expect(other.key.equals(first.key)).toBe(false);
  });

  it('fails with typed errors on mismatched kinds and invalid input', async () => {
    const first = await deriveKey({ passphrase: 'my passphrase', scrypt: { logN: 10 } });
    await expect(deriveKey({ key: randomBytes(32) }, first.kdf)).rejects.toMatchObject({
      code: 'BACKUP_KEY_KIND_MISMATCH',
    });
    await expect(
      deriveKey({ passphrase: 'my passphrase' }, { name: 'none' }),
    ).rejects.toBeInstanceOf(BackupKeyError);
    await expect(deriveKey({ passphrase: 'short' })).rejects.toBeInstanceOf(BackupValidationError);
    await expect(deriveKey({ nothing: true } as never)).rejects.toBeInstanceOf(
      BackupValidationError,
    );
    await expect(
      deriveKey({ passphrase: 'my passphrase', scrypt: { logN: 22, r: 32 } }),
    ).rejects.toMatchObject({ code: 'BACKUP_KDF_FAILED' });
    expect(() => parseRawKey('x'.repeat(44), 'test')).toThrow(BackupKeyError);
  });
});
