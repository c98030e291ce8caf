import type pg from 'pg';
import { type ArchiveCheck, checkArchives, incompatibleError } from './archive-checks.js';
import { loadBackup } from './backup-store.js';
import { type Connection, connect, parseConnection, withDatabase } from './connection.js';
import { BackupAbortedError, BackupError, RestoreTargetNotEmptyError } from './errors.js';
import { openMetadata } from './metadata-part.js';
import { findPgTool } from './pg-tools.js';
import { databaseExists, userObjects } from './restore-checks.js';
import { assertSettingsAllowed } from './restore-metadata.js';
import { type RestoreBackupOptions, restoreOptionsSchema } from './restore-options.js';
import { creationRefusals } from './restore-permissions.js';
import {
  parallelDiskCheck,
  type TargetServer,
  targetServer,
  versionError,
} from './restore-steps.js';
import { type StagedParts, stageParts } from './stage-parts.js';
import { databaseTocTarget, type TocTarget, template0TocTarget } from './toc-target.js';
import { parseInput } from './validation.js';

/** A pre-check the restore would fail: the typed error restoreBackup would throw, and its code. */
export interface RestoreRefusal {
  code: string;
  message: string;
  error: BackupError;
}

export interface RestorePlanPart {
  name: string;
  key: string;
  restore: 'full' | 'data-only' | 'manual';
  rawSize: number;
  storedSize: number;
  /** Read in full and matched against the manifest (size, SHA-256, every chunk's tag). */
  verified: boolean;
}

export interface RestorePlan {
  id: string;
  /** No refusal: restoreBackup with the same options would go on to write. */
  ok: boolean;
  refusals: RestoreRefusal[];
  target: {
    /** The database the restored data ends up in. */
    database: string;
    exists: boolean;
    /**
     * `create`: a missing database is created from `template`; `existing`: restored into it;
     * `clean`: into it, dropping what the backup recreates first; `atomic`: into a new
     * `<database>_restoring_<random>` created from `template`, then swapped in by rename.
     */
    mode: 'create' | 'existing' | 'clean' | 'atomic';
    /** The template of the database the restore would create (undefined when it creates none). */
    template: string | undefined;
    /** With `atomic` and an existing target: whether the previous database is kept or dropped. */
    previousDatabase: 'kept' | 'dropped' | undefined;
    server: TargetServer;
  };
  parts: RestorePlanPart[];
  sizes: {
    /** Decoded archive bytes the server receives (a budget for its disk: it cannot be read over SQL). */
    raw: number;
    stored: number;
    /** Local temp space: remote objects spilled for the check, and the archive of `jobs > 1`. */
    tempBytes: number;
  };
  reconcile: {
    /** Instance objects the target already has: kept, not recreated. */
    reconciled: string[];
    /** Archive entries left out because the restoring role may not apply them. */
    skippedEntries: string[];
    /** Database / role-in-database setting scopes applied from the source. */
    settings: number;
    /** ACL sets applied and compared afterwards (0 with `noPrivileges` or without metadata). */
    acls: number;
  };
  rowCounts: { mode: 'exact' | 'estimated' | 'none'; tables: number; verify: boolean };
  /** The backup's own warnings, and what the plan could not check. */
  warnings: string[];
  durationMs: number;
}

/**
 * Runs every check restoreBackup runs before it writes, with the same options, and returns what
 * the restore would do, creating and changing nothing on the target (remote objects are spilled
 * to `tempDir` for the check and removed again).
 *
 * Throws (typed) only when there is nothing to plan against: invalid options, a backup whose
 * manifest is missing, does not authenticate or needs a key, no usable pg_restore, an unreachable
 * target server, or the signal. Every other failing check is a refusal in `refusals`, with the
 * error restoreBackup would throw; `ok` is false then. Checks that depend on a failed one (the
 * archives' TOC needs verified parts) are skipped and named in `warnings`.
 */
export async function planRestore(options: RestoreBackupOptions): Promise<RestorePlan> {
  const started = Date.now();
  const opts = parseInput(restoreOptionsSchema, options, 'planRestore options');
  const loaded = await loadBackup(opts.storage, opts.id, opts.key);
  const { manifest } = loaded;
  const targetConn = parseConnection(opts.target);
  const pgRestore = await findPgTool('pg_restore', {
    minMajor: manifest.pg_dump.major,
    ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
  });
  const jobs = opts.jobs ?? 1;
  const restorable = manifest.parts.filter((p) => p.restore !== 'manual');
  const template = opts.template ?? 'template0';
  const refusals: RestoreRefusal[] = [];
  const warnings = [...manifest.warnings];
  const refuse = (error: unknown): undefined => {
    // an abort, or a failure that is not a check's (a bug, a lost connection), ends the plan
    if (!BackupError.isInstance(error) || BackupAbortedError.isInstance(error)) throw error;
    const refusal = error as BackupError;
    refusals.push({ code: refusal.code, message: refusal.message, error: refusal });
    return undefined;
  };
  const admin = await connect(withDatabase(targetConn, 'postgres'), 'restore target server');
  const clients: pg.Client[] = [];
  let staged: StagedParts | undefined;
  try {
    const server = await targetServer(admin);
    const tooOld = versionError(server, manifest, opts.force);
    if (tooOld) refuse(tooOld);
    await parallelDiskCheck(manifest, jobs, opts.tempDir)().catch(refuse);

    const exists = await databaseExists(admin, targetConn.database);
    const intoExisting = exists && !opts.atomic;
    let db: pg.Client | undefined;
    if (intoExisting) {
      db = await connect(targetConn, 'restore target database').catch(refuse);
      if (db) clients.push(db);
      if (db && !opts.clean && !opts.force) {
        const objects = await userObjects(db, loaded);
        if (objects.length > 0)
          refuse(new RestoreTargetNotEmptyError(targetConn.database, objects));
      }
    } else {
      for (const refusal of await creationRefusals(admin, server, targetConn, template, opts)) {
        refuse(refusal);
      }
    }

    staged = await stageParts(opts.storage, loaded, restorable, {
      ...(opts.tempDir ? { tempDir: opts.tempDir } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    }).catch(refuse);

    const metadata = manifest.metadata
      ? await openMetadata(manifest.metadata, loaded.master, `backup ${manifest.id}`)
      : undefined;
    if (metadata) await assertSettingsAllowed(admin, metadata).catch(refuse);

    let checks: ArchiveCheck[] = [];
    const tocTarget = intoExisting
      ? db && databaseTocTarget(db)
      : await templateTarget(admin, targetConn, template, clients, warnings);
    if (!staged) {
      warnings.push('The archives were not checked against the target: the parts did not verify.');
    } else if (!tocTarget) {
      warnings.push('The archives were not checked against the target: it could not be opened.');
    } else {
      checks = await checkArchives(opts.storage, loaded, staged, pgRestore, tocTarget, {
        superuser: server.superuser,
        clean: Boolean(opts.clean && intoExisting),
      });
      for (const check of checks) {
        const refusal = incompatibleError(check);
        if (refusal) refuse(refusal);
      }
    }

    const verified = staged !== undefined;
    const stored = restorable.reduce((sum, p) => sum + p.stored_size, 0);
    return {
      id: manifest.id,
      ok: refusals.length === 0,
      refusals,
      target: {
        database: targetConn.database,
        exists,
        mode: opts.atomic ? 'atomic' : !exists ? 'create' : opts.clean ? 'clean' : 'existing',
        template: intoExisting ? undefined : template,
        previousDatabase:
          opts.atomic && exists ? (opts.dropPrevious ? 'dropped' : 'kept') : undefined,
        server,
      },
      parts: manifest.parts.map((p) => ({
        name: p.name,
        key: p.key,
        restore: p.restore,
        rawSize: p.raw_size,
        storedSize: p.stored_size,
        verified: verified && p.restore !== 'manual',
      })),
      sizes: {
        raw: restorable.reduce((sum, p) => sum + p.raw_size, 0),
        stored,
        tempBytes:
          (opts.storage.kind === 'local' ? 0 : stored) +
          (jobs > 1 ? Math.max(0, ...restorable.map((p) => p.raw_size)) : 0),
      },
      reconcile: {
        reconciled: checks.flatMap((c) => c.filtered.reconciled),
        skippedEntries: checks.flatMap((c) => c.filtered.skipped),
        settings: metadata?.database_settings.length ?? 0,
        acls: opts.noPrivileges ? 0 : (metadata?.acls?.length ?? 0),
      },
      rowCounts: {
        mode: manifest.row_counts.mode,
        tables: Object.keys(manifest.row_counts.tables).length,
        verify: opts.verifyRowCounts !== false && manifest.row_counts.mode === 'exact',
      },
      warnings,
      durationMs: Date.now() - started,
    };
  } finally {
    for (const client of clients) await client.end().catch(() => {});
    await admin.end().catch(() => {});
    await staged?.cleanup();
  }
}

/**
 * The database a restore would create is a copy of its template: asked directly when the
 * template accepts connections, from initdb's known contents for template0.
 */
async function templateTarget(
  admin: pg.Client,
  conn: Connection,
  template: string,
  clients: pg.Client[],
  warnings: string[],
): Promise<TocTarget | undefined> {
  const { rows } = await admin.query<{ allow: boolean }>(
    'SELECT datallowconn AS allow FROM pg_database WHERE datname = $1',
    [template],
  );
  if (rows.length === 0) return undefined;
  if (rows[0]!.allow) {
    const client = await connect(withDatabase(conn, template), 'restore template database').catch(
      (error: unknown) => {
        warnings.push(`The template ${template} could not be opened: ${(error as Error).message}`);
        return undefined;
      },
    );
    if (!client) return undefined;
    clients.push(client);
    return databaseTocTarget(client);
  }
  if (template === 'template0') return template0TocTarget(admin);
  warnings.push(`The template ${template} accepts no connections, so its contents are unknown.`);
  return undefined;
}
