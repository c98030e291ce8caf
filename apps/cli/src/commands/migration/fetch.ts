import type { CommandDef } from '../../command.js';
import { optBool } from '../../command.js';
import { MIGRATION_OPTIONS, openMigrator, renderRunReport } from './open.js';

export const migrationFetch: CommandDef = {
  name: 'fetch',
  description: 'Rebuild migration files from the statements stored in the remote history',
  options: [
    ...MIGRATION_OPTIONS,
    { flags: '--overwrite', description: 'replace local files that differ' },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops migration fetch --instance prod',
      description: 'recover files that exist only in the database',
    },
  ],
  async action(ctx, input) {
    const { migrator } = await openMigrator(ctx, input);
    const report = await migrator.fetch({
      overwrite: optBool(input.options.overwrite),
      signal: ctx.signal,
    });
    return { data: report, human: (c) => renderRunReport(report, c) };
  },
};
