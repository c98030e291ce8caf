import { dirname } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres, testkitRoot } from '../src/index.js';

// The cluster's lifecycle (stop, exit, SIGINT, sweeping a SIGKILLed run) is tested where it
// lives, in @supaops/sandbox's ephemeral-cluster test; here only what the kit adds.
describe('startPostgres (the kit over startEphemeralCluster)', () => {
  it("starts its cluster under testkitRoot(), so the kit's sweeps find it, with the given options", async () => {
    const cluster = await startPostgres({ maxConnections: 20 });
    try {
      expect(dirname(dirname(cluster.dataDir))).toBe(testkitRoot());
      const client = new pg.Client({ connectionString: cluster.url() });
      await client.connect();
      const { rows } = await client.query<{ mc: string }>(
        "SELECT current_setting('max_connections') AS mc",
      );
      await client.end();
      expect(rows[0]?.mc).toBe('20');
    } finally {
      await cluster.stop();
    }
  });
});
