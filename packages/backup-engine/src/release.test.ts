import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CHUNK, compressionStage } from './compression.js';
import { decryptTransform, encryptTransform } from './encryption.js';
import { deriveKey } from './keys.js';
import { ReleasingSink, releaseBuffer } from './release.js';

const detached = (b: Buffer) => (b.buffer as ArrayBuffer & { detached: boolean }).detached;

/** Fresh buffers of their own (like pipe reads), filled from `data`. */
function ownChunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) {
    const piece = data.subarray(i, i + size);
    const own = Buffer.allocUnsafeSlow(piece.length);
    piece.copy(own);
    out.push(own);
  }
  return out;
}

/** A sink that hashes what it is given, as a file or pipe consumes it, and keeps nothing. */
function hashingSink(delayMs = 0): Writable & { digest(): string; seen: number } {
  const hash = createHash('sha256');
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sink.seen += chunk.length;
      if (delayMs > 0) setTimeout(callback, delayMs);
      else callback();
    },
  }) as Writable & { digest(): string; seen: number };
  sink.seen = 0;
  sink.digest = () => hash.digest('hex');
  return sink;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('releaseBuffer', () => {
  it('frees a buffer of its own at once', () => {
    const own = Buffer.allocUnsafeSlow(65536).fill(7);
    expect(releaseBuffer(own)).toBe(true);
    expect(detached(own)).toBe(true);
    expect(own.length).toBe(0);
    // a second release is a no-op
    expect(releaseBuffer(own)).toBe(false);
  });

  it('never frees pool slices, small buffers, heads or tails of unknown buffers', () => {
    const pooled = Buffer.allocUnsafe(100).fill(1);
    expect(releaseBuffer(pooled)).toBe(false);
    expect(detached(pooled)).toBe(false);
    expect(releaseBuffer(Buffer.from('abc'))).toBe(false);
    const whole = Buffer.allocUnsafeSlow(65536);
    const head = whole.subarray(0, 1000);
    const tail = whole.subarray(1000);
    expect(releaseBuffer(head)).toBe(false);
    expect(releaseBuffer(tail)).toBe(false);
    expect(releaseBuffer(tail, 32768)).toBe(false);
    expect(detached(whole)).toBe(false);
    // the tail of a zlib output buffer of the expected size frees the whole buffer
    expect(releaseBuffer(tail, 65536)).toBe(true);
    expect(whole.length).toBe(0);
  });
});

describe('releasing pipeline stages', () => {
  const data = Buffer.concat([randomBytes(200_000), Buffer.alloc(300_000, 'abc')]);

  for (const kind of ['zstd', 'gzip'] as const) {
    it(`${kind}: compresses and decompresses, freeing inputs once consumed and outputs once written`, async () => {
      const settings = { kind, level: 1 };
      const input = ownChunks(data, 65536);
      const compressed: Buffer[] = [];
      await pipeline(
        Readable.from(input),
        compressionStage('compress', settings, true),
        new Writable({
          write(chunk: Buffer, _e, cb) {
            compressed.push(Buffer.from(chunk));
            cb();
          },
        }),
      );
      expect(input.every(detached)).toBe(true);

      const stored = ownChunks(Buffer.concat(compressed), 16384);
      // buffers under 4 KiB are never released (they could be pool slices)
      const releasable = stored.filter((b) => b.length >= 4096);
      const sink = hashingSink(1);
      const released: Buffer[] = [];
      const watch = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _e, cb) {
          released.push(chunk);
          sink.write(chunk, cb);
        },
        final(cb) {
          sink.end(cb);
        },
      });
      await pipeline(
        Readable.from(stored),
        compressionStage('decompress', settings, true),
        new ReleasingSink(watch, CHUNK),
      );
      expect(sink.seen).toBe(data.length);
      expect(sink.digest()).toBe(sha(data));
      expect(releasable.length).toBeGreaterThan(1);
      expect(releasable.every(detached)).toBe(true);
      // full zlib output buffers were freed after their write completed
      expect(released.some(detached)).toBe(true);
    });
  }

  it('passes errors through: corrupt input, and a failing sink', async () => {
    const settings = { kind: 'zstd' as const, level: 1 };
    await expect(
      pipeline(
        Readable.from([Buffer.alloc(70_000, 1)]),
        compressionStage('decompress', settings, true),
        hashingSink(),
      ),
    ).rejects.toThrow();
    const failing = new Writable({
      write(_chunk, _e, cb) {
        cb(new Error('disk on fire'));
      },
    });
    await expect(
      pipeline(Readable.from(ownChunks(data, 65536)), new ReleasingSink(failing, CHUNK)),
    ).rejects.toThrow('disk on fire');
    expect(compressionStage('compress', { kind: 'none', level: 0 }, true).constructor.name).toBe(
      'PassThrough',
    );
  });

  it('encrypts and decrypts owned chunks, freeing them once sealed or opened', async () => {
    const master = await deriveKey({ key: randomBytes(32) });
    const input = ownChunks(data, 50_000);
    const sealed: Buffer[] = [];
    await pipeline(
      Readable.from(input),
      encryptTransform(master, {}, CHUNK),
      new Writable({
        write(chunk: Buffer, _e, cb) {
          sealed.push(Buffer.from(chunk));
          cb();
        },
      }),
    );
    expect(input.every(detached)).toBe(true);
    const stored = ownChunks(Buffer.concat(sealed), 70_000);
    const sink = hashingSink();
    await pipeline(Readable.from(stored), decryptTransform({ key: master }, true), sink);
    expect(sink.digest()).toBe(sha(data));
    expect(stored.slice(0, -1).every(detached)).toBe(true);
  });
});
