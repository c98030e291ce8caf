import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpillBufferError } from '@supaops/spill-buffer';
import { describe, expect, it } from 'vitest';
import { SPILL_CHUNK_ROWS, SpilledRows } from './spilled-rows.js';

const rows = (from: number, to: number) => {
  const out: Array<Array<string | null>> = [];
  for (let i = from; i < to; i++) out.push([String(i), i % 3 === 0 ? null : `v"${i}\n`]);
  return out;
};

describe('SpilledRows', () => {
  it('pages by row offset across chunk boundaries, on disk', async () => {
    const spill = new SpilledRows({ threshold: 0, chunkRows: 3 });
    // the first two rows of the batch stayed in memory: pushAll starts at `from`
    await spill.pushAll(rows(0, 10), 2);
    await spill.pushAll(rows(10, 21));
    await spill.finish();
    expect(spill.count).toBe(19);
    expect(spill.byteLength).toBeGreaterThan(0);
    expect(await spill.page(0, 2)).toEqual(rows(2, 4));
    expect(await spill.page(2, 5)).toEqual(rows(4, 9));
    expect(await spill.page(17, 10)).toEqual(rows(19, 21));
    expect(await spill.page(19, 1)).toEqual([]);
    expect(await spill.page(5, 0)).toEqual([]);
    const all: unknown[] = [];
    for await (const row of spill.records()) all.push(row);
    expect(all).toEqual(rows(2, 21));
    await spill.dispose();
  });

  it('keeps chunks of SPILL_CHUNK_ROWS rows by default', async () => {
    const spill = new SpilledRows();
    expect(spill.pushAll(rows(0, SPILL_CHUNK_ROWS - 1))).toBeUndefined();
    // not awaited: finish() still keeps the chunks in order
    void spill.pushAll(rows(SPILL_CHUNK_ROWS - 1, SPILL_CHUNK_ROWS * 2 + 5));
    await spill.finish();
    expect(await spill.page(SPILL_CHUNK_ROWS - 1, 3)).toEqual(
      rows(SPILL_CHUNK_ROWS - 1, SPILL_CHUNK_ROWS + 2),
    );
    expect(await spill.page(SPILL_CHUNK_ROWS * 2 + 4, 3)).toEqual(
      rows(SPILL_CHUNK_ROWS * 2 + 4, SPILL_CHUNK_ROWS * 2 + 5),
    );
    await spill.dispose();
  });

  it('returns a promise only when a chunk was completed', async () => {
    const spill = new SpilledRows({ threshold: 0, chunkRows: 4 });
    expect(spill.pushAll(rows(0, 3))).toBeUndefined();
    const write = spill.pushAll(rows(3, 13));
    expect(write).toBeInstanceOf(Promise);
    await write;
    // two whole chunks are on disk, the last row waits for finish()
    expect(spill.byteLength).toBeGreaterThan(0);
    await spill.finish();
    expect(await spill.page(7, 10)).toEqual(rows(7, 13));
    await spill.dispose();
  });

  it('reports a disk error in finish() as a typed spill error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgc-spill-'));
    const notADir = join(dir, 'file');
    await writeFile(notADir, 'x');
    try {
      const spill = new SpilledRows({ threshold: 0, chunkRows: 2, tmpDir: notADir });
      const error = await spill.pushAll(rows(0, 7))?.catch((e: unknown) => e);
      expect(SpillBufferError.isInstance(error)).toBe(true);
      await expect(spill.finish()).rejects.toSatisfy(SpillBufferError.isInstance);
      expect(SpillBufferError.isInstance(error)).toBe(true);
      await spill.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
