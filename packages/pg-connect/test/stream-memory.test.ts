import { useTestDatabase } from '@supaops/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { createPool, executeSql } from '../src/index.js';

const db = useTestDatabase('stream');
const ROWS = 1_000_000;
const QUERY = `SELECT g AS id, g * 2 AS n, md5(g::text) AS h, timestamptz '2026-01-01' + g * interval '1 second' AS t, (g % 7 = 0) AS b
                 FROM generate_series(1, ${ROWS}) g`;

describe('a 1-million-row result', () => {
  it('streams into the spill buffer with bounded peak RSS and pages at the end', async () => {
    const pool = createPool(db.current.url('postgres'), { max: 1 });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      const r = await executeSql<[number, number, string, Date, boolean]>(pool, QUERY, {
        stream: true,
        maxRows: 100,
        rowMode: 'array',
      });
      peak = Math.max(peak, process.memoryUsage().rss);
      clearInterval(sampler);
      expect(r.rowCount).toBe(ROWS);
      expect(r.rows).toHaveLength(100);
      expect(r.truncated).toBe(true);
      expect(r.columns.map((c) => c.type)).toEqual(['int4', 'int4', 'text', 'timestamptz', 'bool']);
      const tail = await r.page({ offset: ROWS - 2, limit: 5 });
      expect(tail.map((row) => row[0])).toEqual([ROWS - 1, ROWS]);
      expect(tail[1]![3]).toEqual(new Date(Date.parse('2026-01-01T00:00:00Z') + ROWS * 1000));
      expect(tail[0]![4]).toBe((ROWS - 1) % 7 === 0);
      // the rows went to disk: ~70 bytes a row, far above what stayed in memory
      const spilled = r.statements[0]!.spilledBytes;
      expect(spilled).toBeGreaterThan(50 * 1024 * 1024);
      // holding 1M rows × 5 columns as JS values would take several hundred MB
      const grewMb = (peak - before) / 1024 / 1024;
      expect(grewMb).toBeLessThan(120);
      await r.dispose();
    } finally {
      clearInterval(sampler);
      await pool.end();
    }
  });
});
