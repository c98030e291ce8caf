import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { instanceArg, WRITE } from '../common.js';
import { cancellable, openMigrator, runFiles, runFilesSchema } from './open-migrator.js';

export default defineTool({
  name: 'apply_migration',
  title: 'Apply migration',
  description:
    'Writes <timestamp>_<name>.sql to the migrations dir and applies it under the lock; removed if it fails.',
  group: 'migrations',
  annotations: WRITE,
  write: true,
  input: z.object({
    instance: instanceArg,
    // the pattern says snake_case to the model; a description would repeat it
    name: z.string().regex(/^[a-z0-9_]{1,100}$/, 'snake_case: a-z, 0-9 and _'),
    sql: z.string().min(1).max(1_000_000),
  }),
  output: z.object({
    instance: z.string(),
    file: z.string(),
    version: z.string(),
    files: runFilesSchema,
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const created = await m.newMigration(args.name, { sql: args.sql });
    try {
      const report = await cancellable(ctx, 'apply_migration', (signal) =>
        m.up({ to: created.version, signal }),
      );
      return {
        structured: {
          instance: instance.name,
          file: basename(created.path),
          version: created.version,
          files: runFiles(report),
        },
      };
    } catch (error) {
      // not applied: leave no file behind that a later apply_pending_migrations would run (a
      // cancellation noticed only after the COMMIT leaves it applied: then the file stays)
      const cause = (error as { cause?: { details?: { completed?: string[] } } }).cause;
      if (!cause?.details?.completed?.includes(basename(created.path))) {
        await rm(created.path, { force: true });
      }
      throw error;
    }
  },
});
