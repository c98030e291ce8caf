import type { CommandDef } from '../../command.js';
import { MIGRATION_OPTIONS, openMigrator } from './open.js';

export const migrationList: CommandDef = {
  name: 'list',
  description:
    'Local migration files against the remote history, with drift (SHA-256) and out-of-order files',
  options: MIGRATION_OPTIONS,
  database: true,
  examples: [
    {
      command: 'supaops migration list',
      description: 'LOCAL | REMOTE | APPLIED AT | STATE | DRIFT',
    },
    {
      command: 'supaops migration list --db-url "$DATABASE_URL" --json',
      description: 'for scripts',
    },
  ],
  async action(ctx, input) {
    const { migrator } = await openMigrator(ctx, input);
    const status = await migrator.status({ signal: ctx.signal });
    const { formatStatusTable } = await import('@supaops/migrator');
    return { data: status, human: formatStatusTable(status) };
  },
};
