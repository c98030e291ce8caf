import type { ResolvedInstance } from '@supaops/config';
import type { Migrator, MigratorEvent, RunReport } from '@supaops/migrator';
import { z } from 'zod';
import { InstanceCapabilityError, ToolCancelledError } from '../../errors.js';
import { migrator } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';

/** A migrator on the instance's session connection that reports file progress to the client. */
export async function openMigrator(
  ctx: ToolContext,
  instance: ResolvedInstance,
): Promise<Migrator> {
  const connection = instance.database.session ?? instance.database.transaction;
  if (!connection) {
    throw new InstanceCapabilityError(
      instance.name,
      'database connection',
      `add database.session to instance "${instance.name}" in supaops.config.json.`,
    );
  }
  const { createMigrator } = await migrator();
  return createMigrator({
    connection,
    dir: instance.migrationsDir,
    lock: { mode: 'wait', timeoutMs: 30_000 },
    onEvent: (e: MigratorEvent) => {
      if (e.type === 'file-start') ctx.progress(e.index, e.total, `${e.file}`);
      else if (e.type === 'file-end') ctx.progress(e.index + 1, e.total, `${e.file} ${e.status}`);
    },
  });
}

/**
 * Runs a migrator call with the request's AbortSignal (`run` passes it on). A cancelled call's
 * MigrationAbortedError becomes a ToolCancelledError: the migrator's account of the files kept,
 * rolled back and not started, and how to continue with this tool.
 */
export async function cancellable<T>(
  ctx: ToolContext,
  tool: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await run(ctx.signal);
  } catch (error) {
    const { MigrationAbortedError } = await migrator();
    if (!MigrationAbortedError.isInstance(error)) throw error;
    const next =
      error.details.phase === 'files' && !error.details.dryRun
        ? `call ${tool} again to continue.`
        : `call ${tool} again.`;
    throw new ToolCancelledError(tool, error.message, next, { cause: error });
  }
}

export const runFilesSchema = z.array(
  z.object({
    version: z.string(),
    name: z.string(),
    status: z.string(),
    note: z.string().optional(),
  }),
);

/** The files of a run report: what happened to each, without timings and dry-run details. */
export function runFiles(report: RunReport): z.output<typeof runFilesSchema> {
  return report.files.map((f) => ({
    version: f.version,
    name: f.name,
    status: f.status,
    ...(f.note ? { note: f.note } : {}),
  }));
}
