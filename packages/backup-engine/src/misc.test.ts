import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from './byte-queue.js';
import {
  createCompressor,
  createDecompressor,
  resolveCompression,
  zstdAvailable,
} from './compression.js';
import {
  BackupError,
  BackupIntegrityError,
  BackupKeyError,
  BackupValidationError,
} from './errors.js';
import { deriveKey } from './keys.js';
import { canonicalJson, openManifest, sealManifest } from './manifest.js';
import { sampleManifest } from './manifest-fixture.test-helper.js';
import { type ProgressEvent, ProgressTracker } from './progress.js';
import { maskSecret, redactConnectionString, redactHost, redactText } from './redact.js';
import { commentReservedRoles, patternToRegExp, tableMatches } from './supabase.js';

const manifest = sampleManifest('b1', { supabase: true, rowCounts: { 'public.t': 3 } });

describe('manifest authentication', () => {
  it('signs with HMAC and tells a wrong key from tampering', async () => {
    const master = await deriveKey({ key: randomBytes(32) });
    const text = sealManifest(manifest, master);
    expect((await openManifest(text, 'k', master, async () => true)).authenticated).toBe('hmac');
    const other = await deriveKey({ key: randomBytes(32) });
    await expect(openManifest(text, 'k', other, async () => false)).rejects.toBeInstanceOf(
      BackupKeyError,
    );
    const tampered = text.replace('"public.t": 3', '"public.t": 4');
    await expect(openManifest(tampered, 'k', master, async () => true)).rejects.toMatchObject({
      code: 'BACKUP_MANIFEST_TAMPERED',
    });
    await expect(openManifest(text, 'k', undefined, async () => true)).rejects.toMatchObject({
      code: 'BACKUP_KEY_MISSING',
    });
  });

  it('uses a SHA-256 for unencrypted backups and rejects malformed manifests', async () => {
    const text = sealManifest(manifest, undefined);
    expect((await openManifest(text, 'k', undefined, async () => true)).authenticated).toBe(
      'sha256',
    );
    await expect(
      openManifest(text.replace('"b1/database', '"b2/database'), 'k', undefined, async () => true),
    ).rejects.toMatchObject({ code: 'BACKUP_MANIFEST_TAMPERED' });
    await expect(openManifest('{', 'k', undefined, async () => true)).rejects.toBeInstanceOf(
      BackupIntegrityError,
    );
    await expect(
      openManifest('{"manifest":{}}', 'k', undefined, async () => true),
    ).rejects.toMatchObject({
      code: 'BACKUP_MANIFEST_INVALID',
    });
  });

  it('canonicalizes key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: null }] })).toBe(
      '{"a":[{"d":2,"e":null}],"b":1}',
    );
  });
});

describe('compression', () => {
  it('resolves defaults and levels', () => {
    expect(zstdAvailable()).toBe(true);
    expect(resolveCompression(undefined, undefined)).toEqual({ kind: 'zstd', level: 1 });
    expect(resolveCompression('gzip', 1)).toEqual({ kind: 'gzip', level: 1 });
    expect(resolveCompression('none', undefined)).toEqual({ kind: 'none', level: 0 });
    expect(() => resolveCompression('gzip', 12)).toThrow(BackupValidationError);
  });

  it.each(['zstd', 'gzip', 'none'] as const)('round-trips with %s', async (kind) => {
    const data = Buffer.from('abc'.repeat(50_000));
    const out: Buffer[] = [];
    const decompress = createDecompressor(kind);
    decompress.on('data', (c: Buffer) => out.push(c));
    await pipeline(
      Readable.from([data]),
      createCompressor(resolveCompression(kind, undefined)),
      decompress,
    );
    expect(Buffer.concat(out).equals(data)).toBe(true);
  });
});

describe('helpers', () => {
  it('ByteQueue hands out exact slices across chunks', () => {
    const q = new ByteQueue();
    q.push(Buffer.from('abc'));
    q.push(Buffer.alloc(0));
    q.push(Buffer.from('defg'));
    expect(q.take(2).toString()).toBe('ab');
    expect(q.take(3).toString()).toBe('cde');
    expect(q.length).toBe(2);
    expect(q.takeAll().toString()).toBe('fg');
    expect(() => q.take(1)).toThrow(RangeError);
  });

  it('redacts secrets and hosts', () => {
    // maskSecret and redactConnectionString are @supaops/pg-connect's, re-exported
    expect(maskSecret('short')).toBe('***');
    expect(maskSecret('abcdefghijklmnop')).toBe('abcd***mnop');
    expect(redactConnectionString('postgres://u:secret@h:5432/db?password=x&sslmode=require')).toBe(
      'postgres://u:***@h:5432/db?password=***&sslmode=require',
    );
    expect(redactConnectionString('host=h password=secret')).toBe('host=h password=***');
    expect(redactHost('db.abcdefgh.supabase.co')).toBe('db***.***.***.***');
    expect(redactHost('127.0.0.1')).toBe('127.0.0.1');
    expect(redactText('failed postgres://u:pw@h/db with token abcd1234', ['abcd1234'])).toBe(
      'failed postgres://u:***@h/db with token ***',
    );
    // a password containing "@" is hidden whole, also inside free text; a `password=` query
    // value is hidden up to the next "&" or the end of the text, as far as libpq would read it
    expect(redactText('x postgresql://u:p@ss@h/db?password=y y')).toBe(
      'x postgresql://u:***@h/db?password=***',
    );
  });

  it('matches pg_dump-style patterns and comments reserved roles', () => {
    expect(patternToRegExp('timescaledb_*').test('timescaledb_information')).toBe(true);
    expect(patternToRegExp('a.b').test('axb')).toBe(false);
    expect(tableMatches('public', 'orders', ['orders'])).toBe(true);
    expect(tableMatches('app', 'orders', ['orders'])).toBe(false);
    expect(tableMatches('app', 'orders', ['app.ord*'])).toBe(true);
    expect(
      commentReservedRoles(
        'CREATE ROLE anon;\nCREATE ROLE mine;\nALTER ROLE "postgres" WITH LOGIN;',
      ),
    ).toBe('-- CREATE ROLE anon;\nCREATE ROLE mine;\n-- ALTER ROLE "postgres" WITH LOGIN;');
    // settings of reserved roles are the instance's configuration: kept
    expect(
      commentReservedRoles(
        "ALTER ROLE authenticator SET statement_timeout TO '8s';\nALTER ROLE anon WITH NOLOGIN;",
      ),
    ).toBe(
      "ALTER ROLE authenticator SET statement_timeout TO '8s';\n-- ALTER ROLE anon WITH NOLOGIN;",
    );
  });

  it('reports progress with rate and ETA, and survives a throwing listener', () => {
    const events: ProgressEvent[] = [];
    const tracker = new ProgressTracker('dump', 'database', 1000, (e) => events.push(e), 0);
    tracker.add(250);
    tracker.add(250);
    tracker.finish();
    expect(events.map((e) => e.bytes)).toEqual([250, 500, 500]);
    expect(events[1]!.etaSeconds).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ done: true, etaSeconds: 0, totalBytes: 1000 });
    const throwing = new ProgressTracker('verify', 'x', undefined, () => {
      throw new Error('listener bug');
    });
    expect(() => throwing.add(1)).not.toThrow();
    const silent = new ProgressTracker('verify', 'x', undefined, undefined);
    silent.add(5);
    silent.finish();
    expect(silent.bytes).toBe(5);
  });

  it('error classes carry codes and are recognised across copies', () => {
    const error = new BackupError('X', 'message');
    expect(BackupError.isInstance(error)).toBe(true);
    expect(BackupError.isInstance({})).toBe(false);
    expect(BackupError.isInstance(null)).toBe(false);
    expect(new BackupIntegrityError('Y', 'm', { chunkIndex: 4 }).chunkIndex).toBe(4);
  });
});
