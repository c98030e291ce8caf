import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { formatBytes } from '../../output/table.js';
import { parseInteger, parseKeyValue } from '../shared.js';
import { KEY_OPTIONS, openBackupTarget, STORAGE_OPTIONS } from './storage.js';

export const backupCreate: CommandDef = {
  name: 'create',
  description: 'Stream a backup (pg_dump → zstd → AES-256-GCM → SHA-256) into local or S3 storage',
  options: [
    ...STORAGE_OPTIONS,
    ...KEY_OPTIONS,
    { flags: '--no-encryption', description: 'store it unencrypted even when a key is configured' },
    {
      flags: '--tag <key=value>',
      description: 'a tag in the manifest (repeatable)',
      parse: parseKeyValue,
    },
    { flags: '--schema-only', description: 'no data' },
    { flags: '--data-only', description: 'no schema' },
    {
      flags: '--compression <kind>',
      description: 'zstd (default), gzip or none',
      choices: ['zstd', 'gzip', 'none'],
    },
    {
      flags: '--compression-level <n>',
      description: 'zstd 1-19, gzip 1-9',
      parse: parseInteger(1),
    },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops backup create --instance prod',
      description: "into the instance's configured storage",
    },
    {
      command:
        'supaops backup create --db-url "$DATABASE_URL" --storage ./backups --key-file backup.key',
      description: 'ad hoc, encrypted with a key file',
    },
    {
      command:
        'supaops backup create --storage s3://backups/prod/ --s3-endpoint https://minio.example.com --s3-path-style',
      description: 'into S3',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const { instance, storage, key } = await openBackupTarget(ctx, input, true);
    const source = ctx.databaseUrl(instance!);
    const encryption = options.encryption === false ? false : (key ?? false);
    if (encryption === false && options.encryption !== false) {
      ctx.warn(
        'no encryption key is configured: the backup is stored unencrypted (pass --key-file or set backups.encryptionKey).',
      );
    }
    const progress = await ctx.progress('backup', 'bytes');
    const { createBackup } = await import('@supaops/backup-engine');
    const compression = optString(options.compression) as 'zstd' | 'gzip' | 'none' | undefined;
    const level = optNumber(options.compressionLevel);
    const started = Date.now();
    const result = await createBackup({
      source,
      storage,
      encryption,
      ...(compression ? { compression } : {}),
      ...(level ? { compressionLevel: level } : {}),
      schemaOnly: optBool(options.schemaOnly),
      dataOnly: optBool(options.dataOnly),
      tags: (options.tag as Record<string, string> | undefined) ?? {},
      signal: ctx.signal,
      onProgress: (e) => progress.update({ value: e.bytes, total: e.totalBytes, label: e.part }),
    });
    progress.stop();
    for (const warning of result.warnings) ctx.warn(warning);
    const m = result.manifest;
    const data = {
      id: result.id,
      instance: instance!.name,
      storage: storage.description,
      manifestKey: result.manifestKey,
      encrypted: m.encryption !== null,
      compression: m.compression,
      parts: m.parts.map((p) => ({
        name: p.name,
        key: p.key,
        rawSize: p.raw_size,
        storedSize: p.stored_size,
      })),
      rowCounts: { mode: m.row_counts.mode, tables: Object.keys(m.row_counts.tables).length },
      warnings: result.warnings,
      durationMs: Date.now() - started,
    };
    return {
      data,
      human: (c) =>
        [
          `${c.green('created')} ${c.bold(result.id)} in ${storage.description} (${data.durationMs} ms, ${data.encrypted ? 'encrypted' : c.yellow('unencrypted')})`,
          ...data.parts.map(
            (p) => `  ${p.name}: ${formatBytes(p.rawSize)} → ${formatBytes(p.storedSize)}`,
          ),
        ].join('\n'),
    };
  },
};
