import { createRunAbort, RunInterrupted } from './abort.js';
import { historyWriteError } from './apply-file.js';
import { MigrationFileError } from './errors.js';
import type { RunReport } from './events.js';
import { compareVersions, type LocalMigration, scanMigrations } from './files.js';
import {
  DELETE_CLI_ROWS,
  DELETE_META_ROWS,
  ensureHistoryTables,
  readHistory,
  UPSERT_CLI_ROW,
  UPSERT_META_ROW,
} from './history.js';
import type { RepairOptions } from './migrator-types.js';
import type { RunCore } from './run-core.js';

/** `repair`: marks versions applied or reverted in one transaction; no migration SQL runs. */
export function runRepair(core: RunCore, o: RepairOptions): Promise<RunReport> {
  const { dir, downDir, opts } = core;
  const ctx = core.newContext('repair', false, createRunAbort(o.signal, opts.cancelGraceMs));
  return core.run(ctx, () =>
    core.withLock(ctx, async (client) => {
      await ensureHistoryTables(client);
      const scan = await scanMigrations(dir, downDir);
      const local = new Map(scan.migrations.map((m) => [m.version, m]));
      // `all`: like the CLI without versions, the history is emptied and (applied) refilled from local files
      const previous = o.all
        ? (await readHistory(ctx.abort.bind(client))).rows.map((r) => r.version)
        : [];
      const versions = [
        ...new Set(
          o.all ? (o.status === 'applied' ? [...local.keys()] : previous) : (o.versions ?? []),
        ),
      ].sort(compareVersions);
      if (o.status === 'applied') {
        const missing = versions.filter((v) => !local.has(v));
        if (missing.length > 0) {
          throw new MigrationFileError(
            'MIGRATION_FILE_NOT_FOUND',
            `Cannot mark ${missing.join(', ')} as applied: no local file in ${dir}. Nothing was changed. ` +
              'Fix: restore the file(s) (fetch rebuilds them from history) or check the version numbers.',
          );
        }
      }
      ctx.abort.check('files');
      await client.query('BEGIN');
      try {
        if (o.all && previous.length > 0) {
          await client.query(DELETE_CLI_ROWS, [previous]);
          await client.query(DELETE_META_ROWS, [previous]);
        }
        if (o.status === 'applied') {
          for (const v of versions) {
            const m = local.get(v) as LocalMigration;
            await client.query(UPSERT_CLI_ROW, [
              m.version,
              m.name,
              m.statements.map((s) => s.text),
            ]);
            await client.query(UPSERT_META_ROW, [
              m.version,
              m.sha256,
              opts.appliedBy ?? null,
              null,
              m.down?.sha256 ?? null,
              new Date(),
              m.noTransaction,
            ]);
          }
        } else {
          await client.query(DELETE_CLI_ROWS, [versions]);
          await client.query(DELETE_META_ROWS, [versions]);
        }
        // the last moment an abort can still undo the repair; COMMIT itself is never cancelled
        ctx.abort.check('files');
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        if (error instanceof RunInterrupted) throw error;
        throw historyWriteError(error, versions.join(', '));
      }
      for (const v of versions) {
        const m = local.get(v);
        ctx.files.push({
          version: v,
          name: m?.name ?? '',
          file: m?.file ?? '',
          direction: o.status === 'applied' ? 'up' : 'down',
          status: o.status === 'applied' ? 'marked-applied' : 'marked-reverted',
          noTransaction: m?.noTransaction ?? false,
          statements: 0,
          durationMs: 0,
          ...(m ? { sha256: m.sha256 } : {}),
        });
      }
    }),
  );
}
