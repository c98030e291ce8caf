import { useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { expect, it } from 'vitest';
import { RecordLog } from '../src/index.js';

const db = useTestDatabase('spill_records');

it('holds a real query result on disk and pages it like OFFSET/LIMIT', async () => {
  const client = new pg.Client({ connectionString: db.current.url('postgres') });
  await client.connect();
  try {
    await client.query(
      "CREATE TABLE public.events AS SELECT g AS id, md5(g::text) AS hash, now() - g * interval '1 second' AS at, jsonb_build_object('n', g, 's', repeat('é', g % 7)) AS payload FROM generate_series(1, 20000) g",
    );
    const { rows } = await client.query(
      'SELECT id, hash, at, payload FROM public.events ORDER BY id',
    );
    await using log = new RecordLog<Record<string, unknown>>({ threshold: 64 * 1024 });
    for (const row of rows) await log.append(row);
    await log.flush();
    expect(log.spilled).toBe(true);
    expect(log.count).toBe(20000);
    for (const [offset, limit] of [
      [0, 5],
      [1023, 3],
      [12345, 50],
      [19990, 100],
    ] as const) {
      const expected = await client.query(
        'SELECT id, hash, at, payload FROM public.events ORDER BY id OFFSET $1 LIMIT $2',
        [offset, limit],
      );
      expect(await log.page({ offset, limit })).toEqual(JSON.parse(JSON.stringify(expected.rows)));
    }
  } finally {
    await client.end();
  }
});
