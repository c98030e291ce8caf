import { randomBytes } from 'node:crypto';
import { existsSync, statSync, truncateSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { SpillBufferError } from './errors.js';
import { SpillBuffer } from './spill-buffer.js';

async function collect(readable: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of readable) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

async function collectWeb(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}

describe('SpillBuffer', () => {
  it('keeps small content in memory and reads it back every way', async () => {
    const buffer = new SpillBuffer({ threshold: 1024 });
    await buffer.write('hello ');
    await buffer.write(new Uint8Array([119, 111, 114, 108, 100]));
    await buffer.end();
    expect(buffer.spilled).toBe(false);
    expect(buffer.path).toBeUndefined();
    expect(buffer.byteLength).toBe(11);
    expect((await buffer.toBuffer()).toString()).toBe('hello world');
    expect((await collect(buffer.createReadStream())).toString()).toBe('hello world');
    expect((await collectWeb(buffer.toWebStream())).toString()).toBe('hello world');
    expect((await collect(buffer.createReadStream({ start: 6 }))).toString()).toBe('world');
    expect((await buffer.readRange(2, 3)).toString()).toBe('llo');
    await buffer.dispose();
  });

  it('spills past the threshold to a 0600 file, reads back identically many times, and dispose removes it', async () => {
    const tmpDir = await mkdtemp(join(tmpdir(), 'spill-test-'));
    const buffer = new SpillBuffer({ threshold: 1000, tmpDir, readChunkSize: 4096 });
    const expected: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      const chunk = randomBytes(777);
      expected.push(chunk);
      await buffer.write(chunk);
    }
    await buffer.end();
    const all = Buffer.concat(expected);
    expect(buffer.spilled).toBe(true);
    expect(buffer.byteLength).toBe(all.byteLength);
    const path = buffer.path!;
    expect(path.startsWith(tmpDir)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    for (let round = 0; round < 3; round++) {
      expect((await buffer.toBuffer()).equals(all)).toBe(true);
    }
    expect((await collect(buffer.createReadStream())).equals(all)).toBe(true);
    expect((await collectWeb(buffer.toWebStream())).equals(all)).toBe(true);
    expect(
      (await collect(buffer.createReadStream({ start: 5000 }))).equals(all.subarray(5000)),
    ).toBe(true);
    expect((await buffer.readRange(30_000, 100)).equals(all.subarray(30_000, 30_100))).toBe(true);
    expect((await buffer.readRange(all.byteLength - 5, 100)).equals(all.subarray(-5))).toBe(true);
    expect((await buffer.readRange(all.byteLength + 5, 10)).byteLength).toBe(0);
    await buffer.dispose();
    expect(existsSync(path)).toBe(false);
    await buffer.dispose();
  });

  it('reports a spill file truncated from outside instead of returning short data', async () => {
    const buffer = new SpillBuffer({ threshold: 0 });
    await buffer.write(Buffer.alloc(200_000, 5));
    await buffer.end();
    truncateSync(buffer.path!, 1000);
    await expect(buffer.toBuffer()).rejects.toMatchObject({ code: 'SPILL_IO_ERROR' });
    await buffer.dispose();
  });

  it('does not keep a reference to a buffer the caller reuses', async () => {
    const buffer = new SpillBuffer();
    const reused = Buffer.from('aaaa');
    await buffer.write(reused);
    reused.fill(0x62);
    await buffer.write(reused);
    expect((await buffer.toBuffer()).toString()).toBe('aaaabbbb');
  });

  it('threshold 0 spills from the first byte', async () => {
    await using buffer = new SpillBuffer({ threshold: 0 });
    await buffer.write('x');
    expect(buffer.spilled).toBe(true);
  });

  it('respects backpressure through writable() and a slow reader', async () => {
    const buffer = new SpillBuffer({ threshold: 10_000 });
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 200; i++) yield Buffer.alloc(1000, i % 256);
      })(),
    );
    await pipeline(source, buffer.writable());
    expect(buffer.ended).toBe(true);
    expect(buffer.byteLength).toBe(200_000);
    let seen = 0;
    let maxInFlight = 0;
    let inFlight = 0;
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, callback) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        seen += chunk.byteLength;
        setImmediate(() => {
          inFlight--;
          callback();
        });
      },
    });
    await pipeline(buffer.createReadStream(), slow);
    expect(seen).toBe(200_000);
    expect(maxInFlight).toBe(1);
    await buffer.dispose();
  });

  it('disposes via Symbol.asyncDispose', async () => {
    let path: string | undefined;
    {
      await using buffer = new SpillBuffer({ threshold: 1 });
      await buffer.write('more than one byte');
      path = buffer.path;
      expect(existsSync(path!)).toBe(true);
    }
    expect(existsSync(path!)).toBe(false);
  });

  it('refuses writes after end() or dispose(), and bad input, with typed errors', async () => {
    const buffer = new SpillBuffer();
    await buffer.end();
    await expect(buffer.write('x')).rejects.toMatchObject({ code: 'SPILL_ENDED' });
    await buffer.dispose();
    await expect(buffer.write('x')).rejects.toMatchObject({ code: 'SPILL_DISPOSED' });
    await expect(buffer.end()).rejects.toMatchObject({ code: 'SPILL_DISPOSED' });
    await expect(buffer.toBuffer()).rejects.toMatchObject({ code: 'SPILL_DISPOSED' });
    const other = new SpillBuffer();
    await expect(other.write(42 as unknown as string)).rejects.toMatchObject({
      code: 'SPILL_INVALID_INPUT',
    });
    await expect(other.write(null as unknown as string)).rejects.toMatchObject({
      code: 'SPILL_INVALID_INPUT',
    });
    await expect(other.readRange(-1, 2)).rejects.toMatchObject({ code: 'SPILL_INVALID_INPUT' });
    expect(() => other.createReadStream({ start: -3 })).toThrow(SpillBufferError);
    await other.write('');
    expect(other.byteLength).toBe(0);
  });

  it('rejects invalid options with a typed error that names the option', () => {
    expect(() => new SpillBuffer({ threshold: -1 })).toThrowError(/threshold/);
    expect(() => new SpillBuffer({ threshold: 1.5 })).toThrowError(SpillBufferError);
    expect(() => new SpillBuffer({ nope: true } as never)).toThrowError(/SPILL|options/i);
    try {
      new SpillBuffer({ readChunkSize: 1 });
    } catch (error) {
      expect(SpillBufferError.isInstance(error)).toBe(true);
      expect((error as SpillBufferError).code).toBe('SPILL_INVALID_OPTIONS');
    }
  });

  it('surfaces a disk error as a typed error and poisons later writes instead of truncating', async () => {
    const buffer = new SpillBuffer({ threshold: 0, tmpDir: '/dev/null/not-a-dir' });
    const error = await buffer.write('abc').catch((e: unknown) => e);
    expect(SpillBufferError.isInstance(error)).toBe(true);
    expect((error as SpillBufferError).code).toBe('SPILL_IO_ERROR');
    await expect(buffer.write('def')).rejects.toMatchObject({ code: 'SPILL_IO_ERROR' });
    await expect(buffer.end()).rejects.toMatchObject({ code: 'SPILL_IO_ERROR' });
    await expect(buffer.flush()).rejects.toMatchObject({ code: 'SPILL_IO_ERROR' });
  });
});
