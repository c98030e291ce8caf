import { z } from 'zod';
import { backupEngine } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, WRITE } from '../common.js';
import { backupSetup, bytesProgress, databaseUrl } from './storage.js';

export default defineTool({
  name: 'verify_backup',
  title: 'Verify backup',
  description:
    'Checks every part of a backup against its manifest; restoreTest restores into a scratch database and compares row counts.',
  group: 'backups',
  annotations: { ...WRITE, idempotentHint: true },
  write: true,
  input: z.object({
    instance: instanceArg,
    id: z.string().min(1).max(200),
    restoreTest: z.boolean().optional(),
    template: z.string().min(1).max(63).optional().describe('Scratch database template'),
  }),
  output: z.object({
    instance: z.string(),
    id: z.string(),
    authentication: z.string(),
    parts: z.array(z.object({ name: z.string(), rawSize: z.number(), storedSize: z.number() })),
    restoreTest: z.string().optional(),
    verifiedAt: z.string(),
  }),
  async handler(args, ctx) {
    // a restore test also connects to the database
    const instance = await ctx.instance(
      args.instance,
      args.restoreTest ? ['backups', 'database'] : ['backups'],
    );
    const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
    const result = await engine.verifyBackup({
      storage: setup.storage,
      id: args.id,
      ...(setup.key ? { key: setup.key } : {}),
      ...(args.restoreTest
        ? {
            restoreTest: {
              server: databaseUrl(instance),
              ...(args.template ? { template: args.template } : {}),
            },
          }
        : {}),
      signal: ctx.signal,
      onProgress: bytesProgress(ctx),
    });
    return {
      structured: {
        instance: instance.name,
        id: result.id,
        authentication: result.manifestAuthentication,
        parts: result.parts.map((p) => ({
          name: p.name,
          rawSize: p.rawSize,
          storedSize: p.storedSize,
        })),
        ...(result.restoreTest
          ? {
              restoreTest: ctx.untrusted('the restore test result', {
                rowCounts: result.restoreTest.rowCounts,
                skippedEntries: result.restoreTest.skippedEntries,
              }),
            }
          : {}),
        verifiedAt: result.verifiedAt,
      },
    };
  },
});
