import type { CommandDef } from '../../command.js';
import { optBool, optString, optStrings } from '../../command.js';
import { usageError } from '../../errors.js';
import { MIGRATION_OPTIONS, openMigrator, renderRunReport } from './open.js';

export const migrationRepair: CommandDef = {
  name: 'repair',
  description:
    'Mark versions applied or reverted in the history without running SQL (as `supabase migration repair`)',
  arguments: [{ name: '[versions...]', description: 'the versions to mark' }],
  options: [
    ...MIGRATION_OPTIONS,
    {
      flags: '--status <status>',
      description: 'applied or reverted',
      choices: ['applied', 'reverted'],
    },
    {
      flags: '--all',
      description: 'every version: empty the history (and refill it from the files for applied)',
    },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops migration repair 20240101120000 --status applied',
      description: 'accept an edited file',
    },
    {
      command: 'supaops migration repair 20240102090000 --status reverted',
      description: 'forget a version',
    },
  ],
  async action(ctx, input) {
    const status = optString(input.options.status) as 'applied' | 'reverted' | undefined;
    if (!status)
      throw usageError(
        'REPAIR_STATUS',
        'migration repair needs --status applied or --status reverted.',
        'Add --status applied (or reverted).',
      );
    const versions = optStrings(input.args[0]);
    const all = optBool(input.options.all);
    if ((versions.length === 0) === !all) {
      throw usageError(
        'REPAIR_VERSIONS',
        'Name the versions to repair, or pass --all (not both).',
        'e.g. supaops migration repair 20240101120000 --status applied',
      );
    }
    const { migrator } = await openMigrator(ctx, input);
    const signal = ctx.signal;
    const report = await migrator.repair(
      all ? { all: true, status, signal } : { versions, status, signal },
    );
    return { data: report, human: (c) => renderRunReport(report, c) };
  },
};
