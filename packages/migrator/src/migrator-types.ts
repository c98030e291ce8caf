import type { MigratorConnection } from './connection.js';
import type { MigratorEvent, RunReport } from './events.js';
import type { NewMigrationResult } from './files.js';
import type { MigrationStatus } from './status.js';

export interface MigratorOptions {
  /**
   * Connection string or pg ClientConfig. Transaction-pooler targets are refused. Optional:
   * without it only `newMigration` works (it writes a file); every other operation rejects with
   * MigratorConnectionRequiredError.
   */
  connection?: MigratorConnection | undefined;
  /** Migrations directory; default `supabase/migrations` (relative to the working directory). */
  dir?: string;
  /**
   * Where `.down.sql` files live; default `<dir>/down`, where the Supabase CLI does not look.
   * Down files next to the up files are read too, but the CLI would run them as migrations.
   */
  downDir?: string;
  /** The run lock: `fail` at once when held (default), or `wait` up to `timeoutMs` (default 60 s). */
  lock?: { mode?: 'fail' | 'wait'; timeoutMs?: number; key?: string | bigint | number };
  /** lock_timeout of each migration transaction in ms (default 10 000; 0 = none). */
  lockTimeoutMs?: number;
  /** statement_timeout of each migration statement in ms (default 600 000; 0 = none). */
  statementTimeoutMs?: number;
  /**
   * After an abort, how long the server gets to stop the running statement (CancelRequest)
   * before its connection is closed instead; default 5000 ms.
   */
  cancelGraceMs?: number;
  /** Recorded as applied_by; defaults to the database role. */
  appliedBy?: string;
  /** Writes each run's JSON report to `<reportDir>/<startedAt>-<operation>-<runId>.json`. */
  reportDir?: string;
  /** Receives progress events. */
  onEvent?: (event: MigratorEvent) => void;
  /** Clock for `newMigration` (tests). */
  now?: () => Date;
}

export interface UpOptions {
  /** Run every pending file in one transaction that is rolled back; report what would change. */
  dryRun?: boolean;
  /** Apply pending versions up to and including this one. */
  to?: string;
  /** Also apply local files older than the newest applied version (CLI `--include-all`). */
  includeAll?: boolean;
  /** Apply even though applied files changed on disk. */
  allowDrift?: boolean;
  /**
   * Aborting stops the run: the running statement is cancelled on the server, the open file's
   * transaction rolls back, committed files stay, the lock is released, no further file starts,
   * and the call rejects with MigrationAbortedError. An already-aborted signal starts nothing.
   */
  signal?: AbortSignal;
}

export interface DownOptions {
  /** Revert every applied version newer than this one ("0" reverts all). */
  to?: string;
  /** Revert the newest `last` applied versions. */
  last?: number;
  /** Run the down files in a transaction that is rolled back. */
  dryRun?: boolean;
  /**
   * Aborting stops the run: the running statement is cancelled on the server, the open file's
   * transaction rolls back, committed files stay, the lock is released, no further file starts,
   * and the call rejects with MigrationAbortedError. An already-aborted signal starts nothing.
   */
  signal?: AbortSignal;
}

export interface RepairOptions {
  /** Versions to mark. */
  versions?: string[];
  /** Instead of versions: the whole history (CLI `migration repair` without versions). */
  all?: true;
  /** `applied` inserts history rows from the local files, `reverted` deletes them. No SQL runs. */
  status: 'applied' | 'reverted';
  /** Aborting before the commit rolls the repair back (nothing changes). */
  signal?: AbortSignal;
}

export interface FetchOptions {
  /** Where to write the files; default the migrator's dir. */
  dir?: string;
  /** Replace local files whose content differs from history. */
  overwrite?: boolean;
  /** Aborting cancels the history read, or stops before the next file is written. */
  signal?: AbortSignal;
}

export interface StatusOptions {
  /** Aborting cancels the history query on the server; rejects with MigrationAbortedError. */
  signal?: AbortSignal;
}

export interface VerifyResult {
  ok: boolean;
  /** 0 when clean, 1 on drift or history mismatch: use as the process exit code in CI. */
  exitCode: 0 | 1;
  problems: string[];
  status: MigrationStatus;
}

/** Metadata about each operation, so apps can ask for confirmation before destructive ones. */
export const MIGRATOR_OPERATIONS = {
  status: { destructive: false, writesDatabase: false, needsConnection: true },
  verify: { destructive: false, writesDatabase: false, needsConnection: true },
  up: { destructive: false, writesDatabase: true, needsConnection: true },
  down: {
    destructive: true,
    writesDatabase: true,
    needsConnection: true,
    warning: 'Runs down files, which usually drop tables, columns or data.',
  },
  repair: { destructive: false, writesDatabase: true, needsConnection: true },
  fetch: { destructive: false, writesDatabase: false, needsConnection: true },
  newMigration: { destructive: false, writesDatabase: false, needsConnection: false },
} as const;

export interface Migrator {
  readonly dir: string;
  status(options?: StatusOptions): Promise<MigrationStatus>;
  up(options?: UpOptions): Promise<RunReport>;
  /** Destructive: runs down files. See {@link MIGRATOR_OPERATIONS}. */
  down(options: DownOptions): Promise<RunReport>;
  repair(options: RepairOptions): Promise<RunReport>;
  fetch(options?: FetchOptions): Promise<RunReport>;
  verify(options?: StatusOptions): Promise<VerifyResult>;
  newMigration(
    name: string,
    options?: { down?: boolean; sql?: string },
  ): Promise<NewMigrationResult>;
  /** Subscribes to progress events; returns the unsubscribe function. */
  on(event: 'progress', listener: (event: MigratorEvent) => void): () => void;
}
