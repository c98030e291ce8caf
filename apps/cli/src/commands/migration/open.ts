import type { ResolvedInstance } from '@supaops/config';
import type { Migrator, MigratorEvent, RunReport } from '@supaops/migrator';
import type { CommandInput, OptionDef } from '../../command.js';
import { optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import type { Colors } from '../../output/colors.js';
import { renderTable } from '../../output/table.js';
import { instanceFlags, parseInteger, resolvePath } from '../shared.js';

export const MIGRATION_OPTIONS: OptionDef[] = [
  {
    flags: '--dir <dir>',
    description: "migrations directory (default: the instance's, else supabase/migrations)",
    complete: 'directory',
  },
  {
    flags: '--lock-timeout <ms>',
    description: 'wait this long for another run to release the migration lock',
    parse: parseInteger(0),
    default: 60_000,
  },
];

export interface OpenedMigrator {
  instance: ResolvedInstance;
  migrator: Migrator;
}

/** The migrator for the selected instance; progress events go to the stderr bar. */
export async function openMigrator(
  ctx: CommandContext,
  input: CommandInput,
  onEvent?: (event: MigratorEvent) => void,
): Promise<OpenedMigrator> {
  const instance = await ctx.instance(instanceFlags(input), ['database']);
  const dirFlag = optString(input.options.dir);
  const { createMigrator } = await import('@supaops/migrator');
  const migrator = createMigrator({
    connection: ctx.databaseUrl(instance),
    dir: dirFlag ? resolvePath(ctx, dirFlag) : instance.migrationsDir,
    lock: { mode: 'wait', timeoutMs: optNumber(input.options.lockTimeout) ?? 60_000 },
    ...(onEvent ? { onEvent } : {}),
  });
  return { instance, migrator };
}

/** A bar over the files of a run; each finished file is also a --verbose line. */
export async function migrationProgress(
  ctx: CommandContext,
): Promise<(event: MigratorEvent) => void> {
  const progress = await ctx.progress('migrations', 'items');
  return (event) => {
    if (event.type === 'file-start') {
      progress.update({ value: event.index, total: event.total, label: event.file });
    } else if (event.type === 'file-end') {
      progress.update({ value: event.index + 1, total: event.total, label: event.file });
      ctx.debug(`${event.status} ${event.file} (${event.durationMs} ms)`);
    } else if (event.type === 'lock-wait') {
      ctx.debug(`waiting for the migration lock (up to ${event.timeoutMs} ms)`);
    }
  };
}

export function renderRunReport(report: RunReport, c: Colors): string {
  if (report.files.length === 0)
    return c.dim(`Nothing to do (${report.operation}${report.dryRun ? ', dry run' : ''}).`);
  const table = renderTable(
    report.files,
    [
      { header: 'STATUS', value: (f) => (f.status === 'failed' ? c.red(f.status) : f.status) },
      { header: 'FILE', value: (f) => f.file },
      { header: 'STATEMENTS', value: (f) => f.statements, align: 'right' },
      { header: 'MS', value: (f) => f.durationMs, align: 'right' },
      { header: 'NOTE', value: (f) => f.note ?? changesText(f.changes) },
    ],
    c,
  );
  const tail = report.dryRun
    ? c.yellow('dry run: everything was rolled back')
    : c.green(`${report.operation} done in ${report.durationMs} ms`);
  return `${table}\n${tail}`;
}

function changesText(changes: RunReport['files'][number]['changes']): string {
  if (!changes) return '';
  const part = (verb: string, list: Array<{ kind: string; name: string }>) =>
    list.length ? `${verb} ${list.map((o) => `${o.kind} ${o.name}`).join(', ')}` : '';
  return [
    part('creates', changes.created),
    part('alters', changes.altered),
    part('drops', changes.dropped),
  ]
    .filter(Boolean)
    .join('; ');
}
