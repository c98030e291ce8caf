import { describe, expect, it } from 'vitest';
import { RecordLog } from './record-log.js';

describe('RecordLog', () => {
  it('appends, counts and pages records in memory and after spilling', async () => {
    for (const threshold of [1 << 20, 256]) {
      await using log = new RecordLog<{ i: number; text: string }>({
        threshold,
        readChunkSize: 1024,
      });
      for (let i = 0; i < 5000; i++)
        await log.append({ i, text: `row ${i}\nwith newline and ünïcode` });
      await log.flush();
      expect(log.count).toBe(5000);
      expect(log.spilled).toBe(threshold === 256);
      expect(log.byteLength).toBeGreaterThan(0);
      expect((await log.page({ offset: 0, limit: 2 })).map((r) => r.i)).toEqual([0, 1]);
      const middle = await log.page({ offset: 2047, limit: 3 });
      expect(middle.map((r) => r.i)).toEqual([2047, 2048, 2049]);
      expect(middle[0]!.text).toBe('row 2047\nwith newline and ünïcode');
      expect((await log.page({ offset: 4998, limit: 10 })).map((r) => r.i)).toEqual([4998, 4999]);
      expect(await log.page({ offset: 5000, limit: 10 })).toEqual([]);
      expect(await log.page({ offset: 10, limit: 0 })).toEqual([]);
      let n = 0;
      for await (const record of log.records()) {
        expect(record.i).toBe(n);
        n++;
      }
      expect(n).toBe(5000);
    }
  });

  it('handles empty logs and primitive records', async () => {
    const log = new RecordLog<unknown>();
    expect(await log.page({ limit: 5 })).toEqual([]);
    await log.append(null);
    await log.append('text');
    await log.append([1, 2]);
    await log.append(3.5);
    expect(await log.page({ offset: 0, limit: 10 })).toEqual([null, 'text', [1, 2], 3.5]);
    await log.dispose();
  });

  it('refuses records that are not JSON and bad page requests, with typed errors', async () => {
    const log = new RecordLog<unknown>();
    await expect(log.append(undefined)).rejects.toMatchObject({ code: 'SPILL_RECORD_INVALID' });
    await expect(log.append(() => 1)).rejects.toMatchObject({ code: 'SPILL_RECORD_INVALID' });
    await expect(log.append({ big: 1n })).rejects.toMatchObject({ code: 'SPILL_RECORD_INVALID' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(log.append(cyclic)).rejects.toMatchObject({ code: 'SPILL_RECORD_INVALID' });
    expect(log.count).toBe(0);
    await expect(log.page({ offset: -1, limit: 1 })).rejects.toMatchObject({
      code: 'SPILL_INVALID_INPUT',
    });
    await expect(log.page({ offset: 0, limit: 2_000_000 })).rejects.toMatchObject({
      code: 'SPILL_INVALID_INPUT',
    });
    await log.dispose();
  });
});
