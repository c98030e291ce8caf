import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dockerAvailable, startSupabaseImage } from '../src/index.js';

const docker = dockerAvailable();

// Without a Docker engine this reports itself skipped, with the reason in its name.
describe.skipIf(!docker.available)(`genuine supabase/postgres image (${docker.reason})`, () => {
  it('denies anon a read of auth.users there too', async () => {
    const server = await startSupabaseImage();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE anon');
      await expect(client.query('SELECT * FROM auth.users')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await client.end();
      await server.stop();
    }
  }, 300_000);
});

describe('dockerAvailable', () => {
  it('reads DOCKER_HOST', () => {
    expect(dockerAvailable({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }).available).toBe(true);
  });
});
