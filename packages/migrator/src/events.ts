import type { CatalogChanges } from './catalog-changes.js';
import type { AbortDetails, FailedStatementDetails } from './errors.js';

export type Operation = 'up' | 'down' | 'repair' | 'fetch';

/** Progress events, emitted per run and per file (for the CLI and the MCP server). */
export type MigratorEvent =
  | { type: 'run-start'; runId: string; operation: Operation; dryRun: boolean; at: string }
  | { type: 'lock-wait'; runId: string; mode: 'fail' | 'wait'; timeoutMs: number }
  | { type: 'lock-acquired'; runId: string; waitedMs: number }
  | {
      type: 'file-start';
      runId: string;
      operation: Operation;
      version: string;
      file: string;
      index: number;
      total: number;
      at: string;
    }
  | {
      type: 'file-end';
      runId: string;
      operation: Operation;
      version: string;
      file: string;
      index: number;
      total: number;
      durationMs: number;
      status: FileReport['status'];
    }
  | {
      type: 'file-failed';
      runId: string;
      operation: Operation;
      version: string;
      file: string;
      index: number;
      total: number;
      durationMs: number;
      error: FailedStatementDetails;
    }
  | {
      /** The run's AbortSignal fired; emitted once, before `run-end`. */
      type: 'run-aborted';
      runId: string;
      operation: Operation;
      at: string;
      details: AbortDetails;
    }
  | { type: 'run-end'; runId: string; operation: Operation; ok: boolean; durationMs: number };

export interface StatementResult {
  index: number;
  /** Command tag, e.g. CREATE, INSERT. */
  command: string | null;
  rowCount: number | null;
}

/** One file's part of a run. */
export interface FileReport {
  version: string;
  name: string;
  file: string;
  direction: 'up' | 'down';
  status:
    | 'applied'
    | 'reverted'
    | 'would-apply'
    | 'would-revert'
    | 'failed'
    | 'rolled-back'
    | 'partially-applied'
    | 'skipped'
    | 'marked-applied'
    | 'marked-reverted'
    | 'written'
    | 'unchanged'
    | 'conflict';
  noTransaction: boolean;
  statements: number;
  durationMs: number;
  sha256?: string;
  /** Dry runs: what each statement did before the rollback. */
  results?: StatementResult[];
  /** Dry runs: catalog objects the file would create, drop or alter. */
  changes?: CatalogChanges;
  /** Aborted files: the 0-based index of the statement that was cancelled or would have run next. */
  interruptedAt?: number;
  note?: string;
}

/** The JSON report of one run; every operation returns (or attaches to its error) one. */
export interface RunReport {
  runId: string;
  operation: Operation;
  /** True for operations that can destroy data (down). Apps should ask for confirmation. */
  destructive: boolean;
  dryRun: boolean;
  /** The database, with any password redacted. */
  target: string;
  dir: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  lockWaitedMs: number | null;
  ok: boolean;
  files: FileReport[];
  error?: {
    code: string;
    message: string;
    details?: FailedStatementDetails;
    /** Set when the run was aborted (MIGRATION_ABORTED). */
    aborted?: AbortDetails;
  };
}
