import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDecryptTransform, createEncryptTransform } from './encryption.js';
import { BackupValidationError } from './errors.js';
import { keySourceFromSecret } from './key-source.js';
import { deriveKey, parseRawKey } from './keys.js';

describe('keySourceFromSecret', () => {
  const bytes = randomBytes(32);

  it.each([
    ['64 hex characters', bytes.toString('hex')],
    ['64 hex characters with a trailing newline', `${bytes.toString('hex').toUpperCase()}\n`],
    ['base64', bytes.toString('base64')],
    ['base64 without padding', bytes.toString('base64').replace(/=$/, '')],
    ['base64url', bytes.toString('base64url')],
  ])('takes %s as the raw key', (_label, secret) => {
    const source = keySourceFromSecret(secret);
    expect(source).toEqual({ key: bytes });
    expect(Buffer.from((source as { key: Uint8Array }).key).equals(parseRawKey(secret, 'x'))).toBe(
      true,
    );
  });

  it('takes text of exactly 32 bytes as raw key bytes, as parseRawKey does', () => {
    const secret = 'a'.repeat(32);
    expect(keySourceFromSecret(secret)).toEqual({ key: Buffer.from(secret) });
  });

  it.each([
    ['a phrase', 'correct horse battery staple'],
    ['63 hex characters', bytes.toString('hex').slice(1)],
    ['base64 of 31 bytes', randomBytes(31).toString('base64')],
    ['33 characters', 'b'.repeat(33)],
    ['8 characters', 'eight ch'],
  ])('takes %s as a passphrase, verbatim', (_label, secret) => {
    expect(keySourceFromSecret(secret)).toEqual({ passphrase: secret });
  });

  it('refuses an empty or too short secret without echoing it', () => {
    expect(() => keySourceFromSecret('')).toThrow(BackupValidationError);
    let error: unknown;
    try {
      keySourceFromSecret('s3cr3t!');
    } catch (caught) {
      error = caught;
    }
    expect(BackupValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/at least 8 characters/);
    expect((error as Error).message).not.toContain('s3cr3t!');
    expect(() => keySourceFromSecret(42 as unknown as string)).toThrow(BackupValidationError);
  });

  it('gives a source deriveKey accepts and that decrypts what it encrypted', async () => {
    for (const secret of [bytes.toString('hex'), 'a long enough passphrase']) {
      const master = await deriveKey(keySourceFromSecret(secret), undefined);
      const encrypt = createEncryptTransform(master, { chunkSizeLog2: 10 });
      const sealed: Buffer[] = [];
      encrypt.on('data', (c: Buffer) => sealed.push(Buffer.from(c)));
      const done = new Promise((resolve) => encrypt.on('end', resolve));
      encrypt.end(Buffer.from('payload'));
      await done;
      const decrypt = createDecryptTransform({ key: keySourceFromSecret(secret) });
      const opened: Buffer[] = [];
      decrypt.on('data', (c: Buffer) => opened.push(Buffer.from(c)));
      const finished = new Promise((resolve, reject) => {
        decrypt.on('end', resolve);
        decrypt.on('error', reject);
      });
      decrypt.end(Buffer.concat(sealed));
      await finished;
      expect(Buffer.concat(opened).toString()).toBe('payload');
    }
  });
});
