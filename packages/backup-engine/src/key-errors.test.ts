import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createDecryptTransform, createEncryptTransform } from './encryption.js';
import { BackupError, BackupIntegrityError, BackupKeyError } from './errors.js';
import * as keyErrors from './key-errors.js';
import {
  BackupKeyDerivationError,
  BackupKeyEnvMissingError,
  BackupKeyFileUnreadableError,
  BackupKeyKindMismatchError,
  BackupKeyMalformedError,
  BackupKeyMissingError,
  BackupKeyWrongError,
} from './key-errors.js';
import { deriveKey, type MasterKey, parseRawKey } from './keys.js';
import { openManifest, sealManifest } from './manifest.js';
import { sampleManifest } from './manifest-fixture.test-helper.js';

type KeyErrorsModule = typeof keyErrors;
type Guard = { isInstance(value: unknown): boolean; name: string };

const subclasses = [
  BackupKeyWrongError,
  BackupKeyMissingError,
  BackupKeyMalformedError,
  BackupKeyKindMismatchError,
  BackupKeyDerivationError,
  BackupKeyFileUnreadableError,
  BackupKeyEnvMissingError,
];
const classes: Guard[] = [BackupKeyError, BackupIntegrityError, ...subclasses];

// one error of each key class, built against a module so a duplicate copy can build the same
const make = (m: KeyErrorsModule) =>
  [
    [new m.BackupKeyWrongError('m', { backupId: 'b1' }), 'BACKUP_KEY_WRONG'],
    [new m.BackupKeyMissingError('m', { backupId: 'b1' }), 'BACKUP_KEY_MISSING'],
    [new m.BackupKeyMalformedError('m'), 'BACKUP_KEY_MALFORMED'],
    [new m.BackupKeyKindMismatchError('passphrase', 'm'), 'BACKUP_KEY_KIND_MISMATCH'],
    [new m.BackupKeyDerivationError('m'), 'BACKUP_KDF_FAILED'],
    [new m.BackupKeyFileUnreadableError('/k', 'm'), 'BACKUP_KEY_FILE_UNREADABLE'],
    [new m.BackupKeyEnvMissingError('K', 'm'), 'BACKUP_KEY_ENV_MISSING'],
  ] as const;

describe('BackupKeyError kinds', () => {
  it('keeps the documented codes, and BackupKeyError/BackupError match every kind', () => {
    const cause = new Error('root');
    for (const [error, code] of make(keyErrors)) {
      expect(error.code).toBe(code);
      expect(error.name).toBe(error.constructor.name);
      expect(BackupKeyError.isInstance(error)).toBe(true);
      expect(BackupError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(BackupKeyError);
    }
    expect(new BackupKeyDerivationError('m', { cause }).cause).toBe(cause);
    // the old constructor still works and is no subclass
    const old = new BackupKeyError('BACKUP_KEY_WRONG', 'm');
    for (const cls of subclasses) expect(cls.isInstance(old)).toBe(false);
    expect(BackupKeyError.isInstance(old)).toBe(true);
  });

  it('each class isInstance answers like instanceof for one error of each class', () => {
    const errors = [
      ...make(keyErrors).map(([e]) => e),
      new BackupKeyError('BACKUP_KEY_WRONG', 'm'),
      new BackupIntegrityError('BACKUP_TRUNCATED', 'm'),
    ];
    for (const error of errors) {
      for (const cls of classes) {
        const expected = error instanceof (cls as unknown as new () => unknown);
        expect({ error: error.name, cls: cls.name, is: cls.isInstance(error) }).toEqual({
          error: error.name,
          cls: cls.name,
          is: expected,
        });
      }
    }
    // an error matches exactly one subclass: its own
    for (const error of errors.slice(0, subclasses.length)) {
      expect(subclasses.filter((cls) => cls.isInstance(error))).toEqual([error.constructor]);
    }
  });

  it('tells kinds apart across a duplicate copy', async () => {
    const specifier = './key-errors.js?duplicate-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as KeyErrorsModule;
    expect(copy.BackupKeyWrongError).not.toBe(BackupKeyWrongError);
    const foreign = make(copy).map(([e]) => e);
    foreign.forEach((error, i) => {
      const own = subclasses[i] as Guard;
      expect(error).not.toBeInstanceOf(own as unknown as new () => unknown);
      expect(own.isInstance(error)).toBe(true);
      expect(BackupKeyError.isInstance(error)).toBe(true);
      for (const other of subclasses)
        if (other !== own) expect(other.isInstance(error)).toBe(false);
    });
    expect(foreign[0]).toMatchObject({ backupId: 'b1' });
  });
});

describe('where key errors are thrown', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const expectKind = (error: unknown, cls: Guard, fix: RegExp) => {
    expect(cls.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(cls as unknown as new () => unknown);
    expect((error as Error).message).toMatch(fix);
  };

  async function encrypt(master: MasterKey, plain: Buffer): Promise<Buffer> {
    const enc = createEncryptTransform(master, { chunkSizeLog2: 10 });
    const out: Buffer[] = [];
    enc.on('data', (c: Buffer) => out.push(c));
    await pipeline(Readable.from([plain]), enc);
    return Buffer.concat(out);
  }
  async function decrypt(key: Parameters<typeof createDecryptTransform>[0]['key'], data: Buffer) {
    const dec = createDecryptTransform({ key });
    dec.resume();
    await pipeline(Readable.from([data]), dec);
  }

  it('deriveKey: malformed key, unreadable file, unset variable, kind mismatch, scrypt failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'key-errors-'));
    dirs.push(dir);
    await writeFile(join(dir, 'short'), 'abc');
    expectKind(
      await failure(deriveKey({ keyFile: join(dir, 'short') })),
      BackupKeyMalformedError,
      /not 32 bytes.+Fix: generate one with `openssl rand/,
    );
    const unreadable = await failure(deriveKey({ keyFile: join(dir, 'missing') }));
    expectKind(unreadable, BackupKeyFileUnreadableError, /ENOENT\. Fix: check the path/);
    expect(unreadable).toMatchObject({ keyFile: join(dir, 'missing') });
    expect((unreadable as Error).cause).toBeInstanceOf(Error);
    const env = 'SUPAOPS_TEST_KEY_ERRORS_UNSET';
    delete process.env[env];
    const unset = await failure(deriveKey({ keyEnv: env }));
    expectKind(unset, BackupKeyEnvMissingError, /not set or empty\. Fix: export it/);
    expect(unset).toMatchObject({ envVar: env });
    const pass = await deriveKey({ passphrase: 'a long passphrase', scrypt: { logN: 10 } });
    const rawForPass = await failure(deriveKey({ key: randomBytes(32) }, pass.kdf));
    expectKind(rawForPass, BackupKeyKindMismatchError, /Fix: pass \{ passphrase \}/);
    expect(rawForPass).toMatchObject({ needs: 'passphrase' });
    const passForRaw = await failure(
      deriveKey({ passphrase: 'a long passphrase' }, { name: 'none' }),
    );
    expectKind(passForRaw, BackupKeyKindMismatchError, /Fix: pass \{ keyFile \}/);
    expect(passForRaw).toMatchObject({ needs: 'key' });
    expectKind(
      await failure(deriveKey({ passphrase: 'a long passphrase', scrypt: { logN: 22, r: 32 } })),
      BackupKeyDerivationError,
      /Fix: use smaller parameters/,
    );
    expectKind(
      thrown(() => parseRawKey('x'.repeat(44), 'test')),
      BackupKeyMalformedError,
      /Fix:/,
    );
  });

  it('encryption: malformed master key, no key, derived key of another KDF, wrong key', async () => {
    expectKind(
      thrown(() => createEncryptTransform({ key: Buffer.alloc(3), kdf: { name: 'none' } })),
      BackupKeyMalformedError,
      /Fix: obtain it from deriveKey\(\)/,
    );
    expectKind(
      thrown(() => createDecryptTransform({} as never)),
      BackupKeyMissingError,
      /Fix: pass the passphrase/,
    );
    const pass = await deriveKey({ passphrase: 'a long passphrase', scrypt: { logN: 10 } });
    const sealed = await encrypt(pass, randomBytes(100));
    const mismatch = await failure(decrypt(await deriveKey({ key: randomBytes(32) }), sealed));
    expectKind(mismatch, BackupKeyKindMismatchError, /Fix: pass the key source/);
    expect(mismatch).toMatchObject({ needs: 'keySource' });
    expectKind(
      await failure(decrypt({ passphrase: 'another passphrase' }, sealed)),
      BackupKeyWrongError,
      /header key check failed.+Fix: use the key or passphrase/,
    );
  });

  it('manifest: encrypted without a key, wrong key, and tampering stays an integrity error', async () => {
    const manifest = sampleManifest('b7');
    const master = await deriveKey({ key: randomBytes(32) });
    const text = sealManifest(manifest, master);
    const missing = await failure(openManifest(text, 'k', undefined, async () => true));
    expectKind(missing, BackupKeyMissingError, /Backup b7 is encrypted\. Fix: pass the key/);
    expect(missing).toMatchObject({ backupId: 'b7' });
    const other = await deriveKey({ key: randomBytes(32) });
    const wrong = await failure(openManifest(text, 'k', other, async () => false));
    expectKind(wrong, BackupKeyWrongError, /does not open backup b7\. Fix:/);
    expect(wrong).toMatchObject({ backupId: 'b7' });
    const tampered = await failure(openManifest(text, 'k', other, async () => true));
    expect(BackupIntegrityError.isInstance(tampered)).toBe(true);
    expect(BackupKeyError.isInstance(tampered)).toBe(false);
  });
});
