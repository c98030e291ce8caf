import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { Meter } from './meter.js';

async function run(chunks: Buffer[], gate: { bytes: number; sha256: string }) {
  const seen: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      seen.push(chunk);
      cb();
    },
  });
  const meter = new Meter(undefined, undefined, { ...gate, error: () => new Error('mismatch') });
  const result = await pipeline(Readable.from(chunks), meter, sink).then(
    () => 'ok',
    (e: Error) => e.message,
  );
  return { result, seen: Buffer.concat(seen).toString() };
}

describe('Meter gate', () => {
  const chunks = ['aaa', 'bbb', 'ccc'].map((s) => Buffer.from(s));
  const sha256 = createHash('sha256').update('aaabbbccc').digest('hex');

  it('passes everything through when size and hash match', async () => {
    expect(await run(chunks, { bytes: 9, sha256 })).toEqual({ result: 'ok', seen: 'aaabbbccc' });
  });

  it('withholds the last chunk when they differ, so the consumer never sees a whole input', async () => {
    expect(await run(chunks, { bytes: 9, sha256: '0'.repeat(64) })).toEqual({
      result: 'mismatch',
      seen: 'aaabbb',
    });
  });
});
