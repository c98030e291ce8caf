import { z } from 'zod';
import { backupEngine } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, WRITE } from '../common.js';
import { backupSetup, bytesProgress, databaseUrl } from './storage.js';

export default defineTool({
  name: 'create_backup',
  title: 'Create backup',
  description:
    'pg_dump of the instance, compressed and encrypted (config key), into its backup storage, with progress; a cancel removes it.',
  group: 'backups',
  annotations: WRITE,
  write: true,
  input: z.object({
    instance: instanceArg,
    tags: z.record(z.string().max(64), z.string().max(256)).optional(),
    schemaOnly: z.boolean().optional(),
  }),
  output: z.object({
    instance: z.string(),
    id: z.string(),
    storedBytes: z.number(),
    encrypted: z.boolean(),
    parts: z.array(z.string()),
    warnings: z.string().optional(),
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database', 'backups']);
    const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
    const result = await engine.createBackup({
      source: databaseUrl(instance),
      storage: setup.storage,
      encryption: setup.key ?? false,
      ...(args.tags ? { tags: args.tags } : {}),
      ...(args.schemaOnly ? { schemaOnly: true } : {}),
      signal: ctx.signal,
      onProgress: bytesProgress(ctx),
    });
    const parts = result.manifest.parts;
    return {
      structured: {
        instance: instance.name,
        id: result.id,
        storedBytes: parts.reduce((sum, p) => sum + p.stored_size, 0),
        encrypted: setup.key !== undefined,
        parts: parts.map((p) => p.name),
        ...(result.warnings.length
          ? { warnings: ctx.untrusted('backup warnings', result.warnings) }
          : {}),
      },
    };
  },
});
