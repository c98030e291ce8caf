import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { usageError } from '../../errors.js';
import { parseInteger } from '../shared.js';
import { MIGRATION_OPTIONS, migrationProgress, openMigrator, renderRunReport } from './open.js';

export const migrationDown: CommandDef = {
  name: 'down',
  description: 'Run the .down.sql files of the newest migrations (destructive: asks first)',
  options: [
    ...MIGRATION_OPTIONS,
    { flags: '--last <n>', description: 'revert the newest n migrations', parse: parseInteger(1) },
    {
      flags: '--to <version>',
      description: "revert everything newer than this version ('0' = all)",
    },
    { flags: '--dry-run', description: 'run them in a transaction that is rolled back' },
    { flags: '-y, --yes', description: 'do not ask' },
  ],
  database: true,
  audit: true,
  examples: [
    { command: 'supaops migration down --last 1', description: 'revert the newest migration' },
    {
      command: 'supaops migration down --to 20240101120000 --dry-run',
      description: 'what reverting to a version would do',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const last = optNumber(options.last);
    const to = optString(options.to);
    if ((last === undefined) === (to === undefined)) {
      throw usageError(
        'DOWN_TARGET',
        'migration down needs exactly one of --last N and --to VERSION.',
        'Add --last 1 to revert the newest migration.',
      );
    }
    const dryRun = optBool(options.dryRun);
    const onEvent = await migrationProgress(ctx);
    const { instance, migrator } = await openMigrator(ctx, input, onEvent);
    if (!dryRun) {
      await ctx.confirm(
        `Run down migrations on "${instance.name}"? They usually drop tables, columns or data.`,
        optBool(options.yes),
      );
    }
    const signal = ctx.signal;
    const report = await migrator.down(
      last !== undefined ? { last, dryRun, signal } : { to: to!, dryRun, signal },
    );
    if (dryRun) ctx.audit.outcome = 'dry-run';
    return { data: report, human: (c) => renderRunReport(report, c) };
  },
};
