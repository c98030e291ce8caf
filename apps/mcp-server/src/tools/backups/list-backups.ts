import { z } from 'zod';
import { backupEngine } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, READ } from '../common.js';
import { backupSetup } from './storage.js';

export default defineTool({
  name: 'list_backups',
  title: 'List backups',
  description:
    'Complete backups in the instance backup storage, oldest first, with size and verification time.',
  group: 'backups',
  annotations: READ,
  write: false,
  input: z.object({ instance: instanceArg }),
  output: z.object({
    instance: z.string(),
    backups: z.array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        storedBytes: z.number(),
        verifiedAt: z.string().nullable(),
        tags: z.record(z.string(), z.string()),
      }),
    ),
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['backups']);
    const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
    const list = await engine.listBackups(setup.storage);
    return {
      structured: {
        instance: instance.name,
        backups: list.map((b) => ({
          id: b.id,
          createdAt: b.createdAt.toISOString(),
          storedBytes: b.storedSize,
          verifiedAt: b.verifiedAt ? b.verifiedAt.toISOString() : null,
          tags: b.tags,
        })),
      },
    };
  },
});
