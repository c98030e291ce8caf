import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BackwardsOptions, readLinesBackwards } from './log-backwards.js';

const dir = mkdtempSync(join(tmpdir(), 'log-backwards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function scan(content: string | Buffer, options: BackwardsOptions, limit = Infinity) {
  const file = join(dir, `f${n++}`);
  writeFileSync(file, content);
  const handle = await open(file, 'r');
  try {
    const lines: string[] = [];
    const { size } = await handle.stat();
    const result = await readLinesBackwards(handle, size, options, (line) => {
      lines.push(line.toString('utf8'));
      return lines.length < limit;
    });
    return { lines, ...result, size };
  } finally {
    await handle.close();
  }
}

describe('readLinesBackwards', () => {
  it('gives every line last to first, across chunk boundaries, multi-byte text intact', async () => {
    const text = ['first', 'zwei é ü', '', 'drei 🐘 four', 'last without newline'].join('\n');
    for (const chunkSize of [1, 3, 7, 64 * 1024]) {
      const r = await scan(text, { chunkSize, maxBytes: 1 << 20 });
      expect(r.lines).toEqual(['last without newline', 'drei 🐘 four', '', 'zwei é ü', 'first']);
      expect(r).toMatchObject({ reachedStart: true, scannedBytes: Buffer.byteLength(text) });
    }
    const trailing = await scan('a\nb\n', { chunkSize: 2, maxBytes: 100 });
    expect(trailing.lines).toEqual(['', 'b', 'a']);
    expect((await scan('', { maxBytes: 10 })).lines).toEqual(['']);
  });

  it('reads only the end of a large file when the visitor stops', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const r = await scan(`${lines.join('\n')}\n`, { chunkSize: 4096, maxBytes: 1 << 30 }, 11);
    expect(r.size).toBeGreaterThan(9_000_000);
    expect(r.lines.slice(1)).toEqual(lines.slice(-10).reverse());
    expect(r.scannedBytes).toBe(4096);
    expect(r.reachedStart).toBe(false);
  });

  it('stops at maxBytes, dropping the partial line there', async () => {
    const r = await scan('aaaa\nbbbb\ncccc\n', { chunkSize: 4, maxBytes: 8 });
    expect(r.lines).toEqual(['', 'cccc']);
    expect(r).toMatchObject({ reachedStart: false, scannedBytes: 8 });
  });

  it('keeps the start and the end of an over-long line', async () => {
    const long = `START${'m'.repeat(10_000)}END`;
    const r = await scan(`before\n${long}\nafter`, {
      chunkSize: 256,
      maxBytes: 1 << 20,
      maxLineBytes: 64,
    });
    expect(r.lines[0]).toBe('after');
    expect(r.lines[2]).toBe('before');
    const cut = r.lines[1] as string;
    expect(cut.startsWith('START')).toBe(true);
    expect(cut.endsWith('mmmEND')).toBe(true);
    expect(cut).toContain(' … ');
    expect(cut.length).toBeLessThan(256 + 64 + 10);
  });
});
