import path from 'node:path';
import type { CommandDef } from '../../command.js';
import { optBool, optString } from '../../command.js';
import { instanceFlags, resolvePath } from '../shared.js';

export const migrationNew: CommandDef = {
  name: 'new',
  description:
    'Create supabase/migrations/<timestamp>_<name>.sql (as `supabase migration new`); --down adds down/<…>.down.sql',
  arguments: [{ name: '<name>', description: 'migration name, e.g. create_todos' }],
  options: [
    {
      flags: '--dir <dir>',
      description: "migrations directory (default: the instance's, else supabase/migrations)",
      complete: 'directory',
    },
    { flags: '--down', description: 'also create the down file' },
  ],
  database: true,
  audit: true,
  examples: [
    { command: 'supaops migration new create_todos', description: 'a new empty migration' },
    { command: 'supaops migration new add_index --down', description: 'with a down file' },
  ],
  async action(ctx, input) {
    const name = String(input.args[0]);
    const dirFlag = optString(input.options.dir);
    let dir = dirFlag ? resolvePath(ctx, dirFlag) : undefined;
    if (!dir) {
      // a new file needs no database: the instance only tells where its migrations live, so no
      // part of it must resolve and a sandbox instance is not started
      try {
        dir = (await ctx.instance(instanceFlags(input), [])).migrationsDir;
      } catch (error) {
        ctx.debug(`no instance (${(error as Error).message}); using supabase/migrations`);
        dir = path.resolve(ctx.io.cwd, 'supabase/migrations');
      }
    }
    const { createMigrator } = await import('@supaops/migrator');
    // newMigration writes files only: no connection is given, so nothing can connect
    const created = await createMigrator({ dir }).newMigration(name, {
      down: optBool(input.options.down),
    });
    return {
      data: created,
      human: `Created new migration at ${created.path}${created.downPath ? `\nand its down file at ${created.downPath}` : ''}`,
    };
  },
};
