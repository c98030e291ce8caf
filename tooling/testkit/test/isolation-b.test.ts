import pg from 'pg';
import { expect, it } from 'vitest';
import { useTestDatabase } from '../src/vitest.js';

const db = useTestDatabase('iso_b');

it('has its own database, untouched by parallel files', async () => {
  const client = new pg.Client({ connectionString: db.current.url('postgres') });
  await client.connect();
  try {
    await client.query('CREATE TABLE public.marker (owner text)');
    await client.query("INSERT INTO public.marker VALUES ('b')");
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await client.query('SELECT owner FROM public.marker');
    expect(rows).toEqual([{ owner: 'b' }]);
    expect((await client.query('SELECT current_database() AS d')).rows[0].d).toBe(db.current.name);
  } finally {
    await client.end();
  }
});
