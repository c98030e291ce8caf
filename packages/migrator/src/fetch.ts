import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRunAbort, RunInterrupted } from './abort.js';
import { MigrationFileError } from './errors.js';
import type { FileReport, RunReport } from './events.js';
import { compareVersions, scanMigrations } from './files.js';
import { readHistory } from './history.js';
import type { FetchOptions } from './migrator-types.js';
import type { RunCore } from './run-core.js';

/** `fetch`: rebuilds local files from the history's statements, as `supabase migration fetch`. */
export function runFetch(core: RunCore, o: FetchOptions): Promise<RunReport> {
  const outDir = resolve(o.dir ?? core.dir);
  const ctx = core.newContext('fetch', false, createRunAbort(o.signal, core.opts.cancelGraceMs));
  return core.run(ctx, async () => {
    const client = await core.connect('fetch');
    let rows: Awaited<ReturnType<typeof readHistory>>['rows'];
    try {
      ctx.abort.check('files');
      rows = (await readHistory(ctx.abort.bind(client))).rows;
    } finally {
      await client.end().catch(() => {});
    }
    rows.sort((a, b) => compareVersions(a.version, b.version));
    try {
      await mkdir(outDir, { recursive: true });
    } catch (error) {
      throw new MigrationFileError(
        'MIGRATION_DIR_UNWRITABLE',
        `Cannot create "${outDir}": ${(error as Error).message}. Fix: check the path and its permissions.`,
        { cause: error },
      );
    }
    const scan = await scanMigrations(outDir);
    const local = new Map(scan.migrations.map((m) => [m.version, m]));
    for (const [index, row] of rows.entries()) {
      if (ctx.abort.aborted) {
        // files written so far stay; the rest are not touched
        const stopped = new RunInterrupted('files', { cause: ctx.abort.signal?.reason });
        stopped.notStarted = rows
          .slice(index)
          .map((r) => local.get(r.version)?.file ?? `${r.version}_${r.name}.sql`);
        throw stopped;
      }
      const statements = row.statements ?? [];
      // byte-identical to `supabase migration fetch`
      const content = `${statements.join(';\n')};\n`;
      const existing = local.get(row.version);
      const file = existing?.file ?? `${row.version}_${row.name}.sql`;
      const path = join(outDir, file);
      let status: FileReport['status'] = 'written';
      if (existing) {
        const current = await readFile(path, 'utf8');
        if (current === content) status = 'unchanged';
        else if (!o.overwrite) status = 'conflict';
      }
      if (status === 'written') {
        try {
          await writeFile(path, content);
        } catch (error) {
          throw new MigrationFileError(
            'MIGRATION_FILE_UNWRITABLE',
            `Cannot write "${path}": ${(error as Error).message}. Fix: check the directory permissions.`,
            { cause: error },
          );
        }
      }
      ctx.files.push({
        version: row.version,
        name: row.name,
        file,
        direction: 'up',
        status,
        noTransaction: row.meta?.noTransaction ?? false,
        statements: statements.length,
        durationMs: 0,
        ...(status === 'conflict'
          ? { note: 'local file differs from history; kept (pass overwrite to replace it)' }
          : {}),
      });
    }
  });
}
