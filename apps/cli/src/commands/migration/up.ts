import type { CommandDef } from '../../command.js';
import { optBool, optString } from '../../command.js';
import { MIGRATION_OPTIONS, migrationProgress, openMigrator, renderRunReport } from './open.js';

export const migrationUp: CommandDef = {
  name: 'up',
  description: 'Apply pending migrations, each in its own transaction, under an advisory lock',
  options: [
    ...MIGRATION_OPTIONS,
    {
      flags: '--dry-run',
      description: 'run them in a transaction that is rolled back, and report what would change',
    },
    { flags: '--include-all', description: 'also apply files older than the newest applied one' },
    { flags: '--to <version>', description: 'stop after this version' },
    { flags: '--allow-drift', description: 'apply even though applied files changed' },
    { flags: '-y, --yes', description: 'do not ask on a production instance' },
  ],
  database: true,
  audit: true,
  examples: [
    { command: 'supaops migration up --dry-run', description: 'what would change' },
    {
      command: 'supaops migration up --instance prod --yes',
      description: 'apply to production without asking',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const onEvent = await migrationProgress(ctx);
    const { instance, migrator } = await openMigrator(ctx, input, onEvent);
    const dryRun = optBool(options.dryRun);
    if (instance.production && !dryRun) {
      await ctx.confirm(
        `Apply migrations to production instance "${instance.name}"?`,
        optBool(options.yes),
      );
    }
    const to = optString(options.to);
    const report = await migrator.up({
      dryRun,
      includeAll: optBool(options.includeAll),
      allowDrift: optBool(options.allowDrift),
      ...(to ? { to } : {}),
      signal: ctx.signal,
    });
    if (dryRun) ctx.audit.outcome = 'dry-run';
    return { data: report, human: (c) => renderRunReport(report, c) };
  },
};
