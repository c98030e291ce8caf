import type pg from 'pg';
import { RunInterrupted } from './abort.js';
import { type Direction, type FileRunner, fileSide, statementFailure } from './apply-file.js';
import { type CatalogSnapshot, diffCatalog, snapshotCatalog } from './catalog-changes.js';
import type { FileReport } from './events.js';
import type { LocalMigration } from './files.js';
import { ensureHistoryTables } from './history.js';
import type { RunContext, RunCore } from './run-core.js';

/** Dry run: every file in one transaction, rolled back at the end. */
export async function dryRunFiles(
  core: RunCore,
  runner: FileRunner,
  client: pg.Client,
  ctx: RunContext,
  files: LocalMigration[],
  direction: Direction,
): Promise<void> {
  await client.query(core.sessionReset(client));
  await client.query('BEGIN');
  try {
    if (direction === 'up') await ensureHistoryTables(client, { inTransaction: true });
    let before: CatalogSnapshot = await snapshotCatalog(client);
    for (const [index, m] of files.entries()) {
      if (ctx.abort.aborted) {
        const stopped = new RunInterrupted('files', { cause: ctx.abort.signal?.reason });
        stopped.notStarted = files.slice(index).map((f) => fileSide(f, direction).file);
        throw stopped;
      }
      const side = fileSide(m, direction);
      const { file, statements } = side;
      core.emitStart(ctx, m, file, index, files.length);
      const started = performance.now();
      const entry: FileReport = {
        version: m.version,
        name: m.name,
        file,
        direction,
        status: direction === 'up' ? 'would-apply' : 'would-revert',
        noTransaction: side.noTransaction,
        statements: statements.length,
        durationMs: 0,
        sha256: side.sha256,
      };
      if (side.noTransaction) {
        entry.status = 'skipped';
        entry.note =
          'no-transaction file: it cannot run inside the dry-run transaction, so it was not executed; later files see the database without it.';
      } else {
        await client.query(`SAVEPOINT f; ${runner.timeouts(true)}`);
        const run = await runner.runStatements(client, statements, true, ctx.abort);
        entry.results = run.results;
        if (run.interrupted) {
          entry.status = 'rolled-back';
          entry.interruptedAt = run.interrupted.statementIndex as number;
          entry.durationMs = Math.round(performance.now() - started);
          ctx.files.push(entry);
          run.interrupted.file = file;
          run.interrupted.notStarted = files
            .slice(index + 1)
            .map((f) => fileSide(f, direction).file);
          throw run.interrupted;
        }
        if (run.failedAt !== undefined) {
          entry.status = 'failed';
          entry.durationMs = Math.round(performance.now() - started);
          ctx.files.push(entry);
          const source = { version: m.version, file, sql: side.sql };
          const err = statementFailure(source, statements, run.failedAt, run.error, false);
          core.emitFailed(ctx, m, file, index, files.length, entry.durationMs, err);
          throw err;
        }
        await client.query('RELEASE SAVEPOINT f');
        const after = await snapshotCatalog(client);
        entry.changes = diffCatalog(before, after);
        before = after;
      }
      entry.durationMs = Math.round(performance.now() - started);
      ctx.files.push(entry);
      core.emitEnd(ctx, m, file, index, files.length, entry.durationMs, entry.status);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}
