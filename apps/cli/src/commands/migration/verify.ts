import type { CommandDef } from '../../command.js';
import { MIGRATION_OPTIONS, openMigrator } from './open.js';

export const migrationVerify: CommandDef = {
  name: 'verify',
  description:
    'For CI: exit 1 when an applied file changed (drift) or a version is missing locally',
  options: MIGRATION_OPTIONS,
  database: true,
  examples: [
    {
      command: 'supaops migration verify --db-url "$DATABASE_URL"',
      description: 'fail the pipeline on drift',
    },
  ],
  async action(ctx, input) {
    const { migrator } = await openMigrator(ctx, input);
    const result = await migrator.verify({ signal: ctx.signal });
    const { formatStatusTable } = await import('@supaops/migrator');
    return {
      data: { ok: result.ok, problems: result.problems, status: result.status },
      exitCode: result.exitCode,
      human: (c) =>
        result.ok
          ? `${formatStatusTable(result.status)}\n${c.green('ok')}: no drift, nothing missing locally`
          : `${formatStatusTable(result.status)}\n${result.problems.map((p) => `${c.red('problem')} ${p}`).join('\n')}`,
    };
  },
};
