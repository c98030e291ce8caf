import type { BackupManifest } from './manifest.js';

/** A complete manifest of one `database` part, for tests that seal and open manifests. */
export function sampleManifest(
  id: string,
  opts: { supabase?: boolean; rowCounts?: Record<string, number> } = {},
): BackupManifest {
  return {
    format: 'supaops-backup-manifest',
    manifest_version: 1,
    id,
    created_at: '2026-01-01T00:00:00.000Z',
    completed_at: '2026-01-01T00:00:01.000Z',
    tool: { name: '@supaops/backup-engine', version: '0.0.0' },
    source: {
      host: 'db***.***',
      port: 5432,
      database: 'postgres',
      server_version: '15.8',
      server_major: 15,
      supabase: opts.supabase ?? false,
    },
    pg_dump: { version: '15.18', major: 15, format: 'custom (-Fc -Z0)' },
    options: {
      schema_only: false,
      data_only: false,
      include_schemas: [],
      exclude_schemas: [],
      include_tables: [],
      exclude_tables: [],
      snapshot: true,
    },
    compression: { algorithm: 'zstd', level: 3 },
    encryption: null,
    parts: [
      {
        name: 'database',
        key: `${id}/database.dump.zst`,
        format: 'pg_dump-custom',
        restore: 'full',
        raw_size: 10,
        stored_size: 5,
        raw_sha256: 'a'.repeat(64),
        stored_sha256: 'b'.repeat(64),
      },
    ],
    row_counts: { mode: 'exact', tables: opts.rowCounts ?? {} },
    tags: {},
    warnings: [],
  };
}
