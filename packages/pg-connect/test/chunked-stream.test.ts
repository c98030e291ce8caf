import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ChunkedQueryStream } from '../src/execute.js';
import type { RawRow } from '../src/spilled-rows.js';

const db = useTestDatabase('chunked');

describe('ChunkedQueryStream', () => {
  it('pauses the socket for a slow consumer, and closes the portal when destroyed while paused', async () => {
    const client = new pg.Client({ connectionString: db.current.url('postgres') });
    await client.connect();
    try {
      const stream = new ChunkedQueryStream(
        "SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g",
        [],
        50_000,
      );
      const errors: Error[] = [];
      stream.on('error', (error: Error) => errors.push(error));
      client.query(stream);
      await once(stream, 'readable');
      const first = stream.read() as RawRow[];
      expect(first).toHaveLength(250);
      expect(first[0]).toEqual(['1', 'x'.repeat(100)]);
      // stop reading: the buffered chunks reach the high-water mark and the socket pauses
      const socket = (client as unknown as { connection: { stream: { isPaused(): boolean } } })
        .connection.stream;
      for (let i = 0; i < 200 && !socket.isPaused(); i++) await sleep(10);
      expect(socket.isPaused()).toBe(true);
      const closed = new Promise((resolve) => stream.once('close', resolve));
      stream.destroy(new Error('the consumer failed'));
      await closed;
      expect(errors.map((e) => e.message)).toEqual(['the consumer failed']);
      // the portal was closed and the socket reads again: the session answers
      const { rows } = await client.query<{ n: number }>('SELECT 42 AS n');
      expect(rows).toEqual([{ n: 42 }]);
    } finally {
      await client.end();
    }
  });
});
