import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { aclSchemaFilter } from './acl.js';
import { checkArchives, incompatibleError } from './archive-checks.js';
import { loadBackup } from './backup-store.js';
import {
  type Connection,
  connect,
  parseConnection,
  quoteIdent,
  withDatabase,
} from './connection.js';
import { BackupError, RestoreError, RestoreTargetNotEmptyError } from './errors.js';
import type { ManifestPart } from './manifest.js';
import { openMetadata } from './metadata-part.js';
import { findPgTool } from './pg-tools.js';
import { redactText } from './redact.js';
import {
  compareRowCounts,
  databaseExists,
  emptyTables,
  type RowCountCheck,
  splitTable,
  userObjects,
} from './restore-checks.js';
import { applyMetadata, assertSettingsAllowed } from './restore-metadata.js';
import { type RestoreBackupOptions, restoreOptionsSchema } from './restore-options.js';
import { type RestorePartContext, restorePart } from './restore-part.js';
import {
  noteCleanup,
  parallelDiskCheck,
  swapIn,
  targetServer,
  versionError,
} from './restore-steps.js';
import { snapshotTarget, type TargetSnapshot, undoRestore } from './restore-undo.js';
import { type StagedParts, stageParts } from './stage-parts.js';
import { databaseTocTarget } from './toc-target.js';
import { parseInput } from './validation.js';

export type { RestoreBackupOptions, RowCountCheck };
export { compareRowCounts };

export interface RestoreBackupResult {
  id: string;
  database: string;
  /** With `atomic` and an existing target: the old database's new name (unless dropped). */
  previousDatabase: string | undefined;
  rowCounts: RowCountCheck;
  /** Archive entries left out because the restoring role may not apply them (see README). */
  skippedEntries: string[];
  /**
   * Instance objects the target already had and that were kept instead of recreated
   * (extensions, publications such as `supabase_realtime`, event triggers).
   */
  reconciled: string[];
  /**
   * ACLs compared with the source's (`checked` objects), `fixed` where the target's default
   * privileges had added grants; `settings`: database/role-in-database setting scopes applied.
   * All zero for backups without a metadata part (older versions).
   */
  privileges: { checked: number; fixed: number; settings: number };
  /** The backup's own warnings (e.g. tables left out for lack of privilege when it was made). */
  warnings: string[];
  durationMs: number;
}

/**
 * Restores a backup into `target`. Pre-checks: the server is reachable and not older than the
 * source, pg_restore is new enough, the target is empty (unless `clean`/`force`), and there is
 * enough local disk for a parallel restore's temp file; then every part is verified in full
 * (stageParts) before anything is written. Afterwards, row counts are compared with the
 * manifest. A failure drops a database the restore created and takes out of an existing one
 * what the restore added (see the README for the exact states).
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const started = Date.now();
  const opts = parseInput(restoreOptionsSchema, options, 'restoreBackup options');
  const loaded = await loadBackup(opts.storage, opts.id, opts.key);
  const { manifest } = loaded;
  const targetConn = parseConnection(opts.target);
  const maintenanceConn = withDatabase(targetConn, 'postgres');
  const pgRestore = await findPgTool('pg_restore', {
    minMajor: manifest.pg_dump.major,
    ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
  });
  const jobs = opts.jobs ?? 1;
  const restorable = manifest.parts.filter((p) => p.restore !== 'manual');
  const admin = await connect(maintenanceConn, 'restore target server');
  let createdDb: string | undefined;
  let restoreDb = targetConn.database;
  let listDir: string | undefined;
  let staged: StagedParts | undefined;
  let db: pg.Client | undefined;
  let snapshot: TargetSnapshot | undefined;
  let wroteManagedData = false;
  const managedTables = (part: ManifestPart) =>
    Object.keys(manifest.row_counts.tables)
      .map(splitTable)
      .filter(([schema]) => part.schemas?.includes(schema));
  try {
    const server = await targetServer(admin);
    const superuser = server.superuser;
    const tooOld = versionError(server, manifest, opts.force);
    if (tooOld) throw tooOld;
    await parallelDiskCheck(manifest, jobs, opts.tempDir)();

    const exists = await databaseExists(admin, targetConn.database);
    const intoExisting = exists && !opts.atomic;
    if (intoExisting) {
      db = await connect(targetConn, 'restore target database');
      if (!opts.clean && !opts.force) {
        const objects = await userObjects(db, loaded);
        if (objects.length > 0) throw new RestoreTargetNotEmptyError(restoreDb, objects);
      }
    }
    // every byte is checked before the first one reaches the target (nothing created yet)
    staged = await stageParts(opts.storage, loaded, restorable, {
      ...(opts.tempDir ? { tempDir: opts.tempDir } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });

    const metadata = manifest.metadata
      ? await openMetadata(manifest.metadata, loaded.master, `backup ${manifest.id}`)
      : undefined;
    if (metadata) await assertSettingsAllowed(admin, metadata);

    if (!intoExisting) {
      if (opts.atomic) {
        restoreDb = `${targetConn.database.slice(0, 40)}_restoring_${randomBytes(3).toString('hex')}`;
      }
      await admin.query(
        `CREATE DATABASE ${quoteIdent(restoreDb)} TEMPLATE ${quoteIdent(opts.template ?? 'template0')}`,
      );
      createdDb = restoreDb;
      db = await connect(withDatabase(targetConn, restoreDb), 'restore target database');
    } else if (!opts.clean) {
      snapshot = await snapshotTarget(db!);
    }
    const client = db!;
    const restoreConn = withDatabase(targetConn, restoreDb);
    const base = [
      '--exit-on-error',
      ...(opts.noOwner ? ['--no-owner'] : []),
      ...(opts.noPrivileges ? ['--no-privileges'] : []),
    ];
    const ctx = (args: string[]): RestorePartContext => ({
      staged: staged!,
      loaded,
      tool: pgRestore,
      conn: restoreConn,
      jobs,
      tempDir: opts.tempDir,
      args,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
    // the archives' TOCs, filtered for this target, before anything is written: an extension
    // the target lacks and the role may not create is refused here
    const skippedEntries: string[] = [];
    const reconciled: string[] = [];
    const useLists = new Map<string, string[]>();
    const checks = await checkArchives(
      opts.storage,
      loaded,
      staged,
      pgRestore,
      databaseTocTarget(client),
      {
        superuser,
        clean: Boolean(opts.clean && !createdDb),
      },
    );
    for (const check of checks) {
      const refusal = incompatibleError(check);
      if (refusal) throw refusal;
      const { part, filtered } = check;
      const useList: string[] = [];
      if (filtered.skipped.length > 0 || filtered.reconciled.length > 0) {
        listDir ??= await mkdtemp(join(opts.tempDir ?? tmpdir(), 'supaops-list-'));
        const listFile = join(listDir, `${part.name}.list`);
        await writeFile(listFile, filtered.list, { mode: 0o600 });
        useList.push(`--use-list=${listFile}`);
        skippedEntries.push(...filtered.skipped);
        reconciled.push(...filtered.reconciled);
      }
      useLists.set(part.key, useList);
    }
    // managed-schema data first, so the user schema's foreign keys to auth.users validate
    for (const part of restorable.filter((p) => p.restore === 'data-only')) {
      if (opts.clean) await emptyTables(client, managedTables(part));
      wroteManagedData = true;
      await restorePart(
        ctx([
          ...base,
          '--data-only',
          ...(superuser ? ['--disable-triggers'] : []),
          ...(jobs > 1 ? [] : ['--single-transaction']),
        ]),
        part,
      );
    }
    for (const part of restorable.filter((p) => p.restore === 'full')) {
      await restorePart(
        ctx([
          ...base,
          ...(useLists.get(part.key) ?? []),
          ...(opts.clean && !createdDb ? ['--clean', '--if-exists'] : []),
          ...(jobs > 1 ? [] : ['--single-transaction']),
        ]),
        part,
      );
    }
    const privileges = manifest.metadata
      ? await applyMetadata(
          client,
          restoreDb,
          await openMetadata(manifest.metadata, loaded.master, `backup ${manifest.id}`),
          {
            schemas: aclSchemaFilter(
              manifest.options.include_schemas,
              manifest.options.exclude_schemas,
            ),
            privileges: !opts.noPrivileges,
          },
        )
      : { checked: 0, fixed: 0, settings: 0 };
    const rowCounts =
      opts.verifyRowCounts === false
        ? { mode: manifest.row_counts.mode, checked: 0, mismatches: [], skipped: true }
        : await compareRowCounts(client, loaded);
    if (rowCounts.mismatches.length > 0) {
      throw new RestoreError(
        'RESTORE_ROW_COUNT_MISMATCH',
        `After the restore, ${rowCounts.mismatches.length} table(s) differ from the manifest's row counts: ${rowCounts.mismatches
          .slice(0, 5)
          .map((m) => `${m.table} expected ${m.expected}, found ${m.actual ?? 'no table'}`)
          .join(
            '; ',
          )}. Fix: the target had conflicting data or the restore was filtered; restore into an empty database.`,
      );
    }
    await client.end();
    db = undefined;
    let previousDatabase: string | undefined;
    if (opts.atomic) {
      previousDatabase = await swapIn(admin, targetConn.database, restoreDb, exists);
      createdDb = undefined;
      if (previousDatabase && opts.dropPrevious) {
        await admin.query(`DROP DATABASE ${quoteIdent(previousDatabase)} WITH (FORCE)`);
        previousDatabase = undefined;
      }
    }
    return {
      id: manifest.id,
      database: targetConn.database,
      previousDatabase,
      rowCounts,
      skippedEntries,
      reconciled,
      privileges,
      warnings: manifest.warnings,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    await db?.end().catch(() => {});
    db = undefined;
    if (createdDb) {
      // a database this restore created goes entirely; the target was never touched
      const dropped = await admin
        .query(`DROP DATABASE IF EXISTS ${quoteIdent(createdDb)} WITH (FORCE)`)
        .then(
          () => true,
          () => false,
        );
      noteCleanup(
        error,
        dropped
          ? `the database "${createdDb}" this restore created was dropped.`
          : `the database "${createdDb}" this restore created could not be dropped; drop it yourself.`,
      );
    } else if (snapshot) {
      noteCleanup(error, await undoInto(targetConn, snapshot, restorable, wroteManagedData));
    }
    if (BackupError.isInstance(error)) throw error;
    throw new RestoreError(
      'RESTORE_FAILED',
      `Restoring backup ${opts.id} into ${targetConn.redacted} failed: ${redactText((error as Error).message, [targetConn.password])}. Fix: read the cause.`,
      { cause: error },
    );
  } finally {
    await db?.end().catch(() => {});
    await admin.end().catch(() => {});
    await staged?.cleanup();
    if (listDir) await rm(listDir, { recursive: true, force: true });
  }

  /** Takes out of an existing target what the failed restore added; returns what it did. */
  async function undoInto(
    conn: Connection,
    before: TargetSnapshot,
    parts: ManifestPart[],
    managedData: boolean,
  ): Promise<string> {
    let client: pg.Client | undefined;
    try {
      client = await connect(conn, 'restore target cleanup');
      const { removed, failed } = await undoRestore(client, before);
      const emptied: string[] = [];
      if (managedData) {
        for (const part of parts.filter((p) => p.restore === 'data-only')) {
          const tables = managedTables(part);
          await emptyTables(client, tables);
          emptied.push(...tables.map(([s, t]) => `${s}.${t}`));
        }
      }
      const done = [
        removed.length > 0 ? `dropped ${removed.length} object(s) it had created` : '',
        emptied.length > 0 ? `emptied ${emptied.join(', ')} again` : '',
      ].filter(Boolean);
      return `${done.length > 0 ? `${done.join('; ')};` : 'nothing had been written;'} the target "${conn.database}" is as it was before.${failed.length > 0 ? ` Could not drop: ${failed.join('; ')}.` : ''}`;
    } catch (cleanupError) {
      return `taking the partial restore out of "${conn.database}" failed (${(cleanupError as Error).message}); restore into a fresh database.`;
    } finally {
      await client?.end().catch(() => {});
    }
  }
}
