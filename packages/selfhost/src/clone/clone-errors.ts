import { ERROR_CODES, kindCheck, SelfhostError } from '../errors.js';

/** The clone and data-copy codes of ERROR_CODES, by themselves. */
export const CLONE_ERROR_CODES = {
  CLONE_SOURCE_INVALID: ERROR_CODES.CLONE_SOURCE_INVALID,
  CLONE_SETTINGS_INCOMPLETE: ERROR_CODES.CLONE_SETTINGS_INCOMPLETE,
  CLONE_ABORTED: ERROR_CODES.CLONE_ABORTED,
  DATABASE_UNRESOLVED: ERROR_CODES.DATABASE_UNRESOLVED,
  DATA_COPY_FAILED: ERROR_CODES.DATA_COPY_FAILED,
  ROW_COUNT_MISMATCH: ERROR_CODES.ROW_COUNT_MISMATCH,
} as const;

export type CloneErrorCode = (typeof CLONE_ERROR_CODES)[keyof typeof CLONE_ERROR_CODES];

/** The source compose cannot be cloned: unreadable, not a Supabase stack, or not a raw compose. */
export class CloneSourceError extends SelfhostError {
  readonly composeId: string;
  constructor(composeId: string, reason: string, options?: { cause?: unknown }) {
    super(
      CLONE_ERROR_CODES.CLONE_SOURCE_INVALID,
      `Compose ${composeId} cannot be cloned: ${reason} Nothing was created.`,
      options,
    );
    this.name = 'CloneSourceError';
    this.composeId = composeId;
  }
  static override isInstance(error: unknown): error is CloneSourceError {
    return kindCheck(CLONE_ERROR_CODES.CLONE_SOURCE_INVALID)(error);
  }
}

/** A setting the clone needs could not be derived from the source env (`missing` names it). */
export class CloneSettingsError extends SelfhostError {
  readonly missing: readonly string[];
  constructor(missing: readonly string[], fix: string) {
    super(
      CLONE_ERROR_CODES.CLONE_SETTINGS_INCOMPLETE,
      `The source env does not give the clone a usable ${missing.join(', ')}. Nothing was created. Fix: ${fix}`,
    );
    this.name = 'CloneSettingsError';
    this.missing = missing;
  }
  static override isInstance(error: unknown): error is CloneSettingsError {
    return kindCheck(CLONE_ERROR_CODES.CLONE_SETTINGS_INCOMPLETE)(error);
  }
}

/** The caller's signal stopped the clone; `phase` says where. */
export class CloneAbortedError extends SelfhostError {
  readonly phase: string;
  constructor(phase: string, options?: { cause?: unknown }) {
    super(
      CLONE_ERROR_CODES.CLONE_ABORTED,
      `The clone was aborted during "${phase}". Fix: run cloneInstance again with the same statePath to resume the wizard where it stopped (without a statePath a new compose is created: delete the half-made one in Dokploy first); a data copy starts over and its restore left nothing behind.`,
      options,
    );
    this.name = 'CloneAbortedError';
    this.phase = phase;
  }
  static override isInstance(error: unknown): error is CloneAbortedError {
    return kindCheck(CLONE_ERROR_CODES.CLONE_ABORTED)(error);
  }
}

/** No database connection could be derived for an instance (`which`: source or target). */
export class DatabaseUnresolvedError extends SelfhostError {
  readonly which: string;
  constructor(which: string, reason: string, options?: { cause?: unknown }) {
    super(
      CLONE_ERROR_CODES.DATABASE_UNRESOLVED,
      `No database connection for the ${which}: ${reason} Fix: pass the ${which} database as a postgres:// URL (direct or the Supavisor session port 5432), a pg-connect target, or a function of the instance's { composeId, appName, env }.`,
      options,
    );
    this.name = 'DatabaseUnresolvedError';
    this.which = which;
  }
  static override isInstance(error: unknown): error is DatabaseUnresolvedError {
    return kindCheck(CLONE_ERROR_CODES.DATABASE_UNRESOLVED)(error);
  }
}

/** The data copy failed (`step`: backup, restore or count); the backup-engine error is the cause. */
export class DataCopyError extends SelfhostError {
  readonly step: string;
  constructor(step: string, reason: string, options?: { cause?: unknown }) {
    super(
      CLONE_ERROR_CODES.DATA_COPY_FAILED,
      `The data copy failed at its ${step}: ${reason} The clone itself is deployed and validated; its database got nothing (a failed restore leaves no partial data). Fix: correct the cause named above, then copy again with cloneInstance's data options, or restore a backup into the clone yourself.`,
      options,
    );
    this.name = 'DataCopyError';
    this.step = step;
  }
  static override isInstance(error: unknown): error is DataCopyError {
    return kindCheck(CLONE_ERROR_CODES.DATA_COPY_FAILED)(error);
  }
}

/** One table whose rows differ between the copied source and the clone. */
export interface RowCountDifference {
  readonly table: string;
  readonly source: number | null;
  readonly clone: number | null;
}

/** After the copy, the clone's row counts are not the source's. */
export class RowCountMismatchError extends SelfhostError {
  readonly differences: readonly RowCountDifference[];
  constructor(differences: readonly RowCountDifference[]) {
    const shown = differences
      .slice(0, 5)
      .map(
        (d) => `${d.table} (source ${d.source ?? 'unreadable'}, clone ${d.clone ?? 'unreadable'})`,
      )
      .join(', ');
    const more = differences.length > 5 ? ` and ${differences.length - 5} more` : '';
    super(
      CLONE_ERROR_CODES.ROW_COUNT_MISMATCH,
      `The clone's row counts differ from the source's for ${shown}${more}. Fix: make sure nothing writes to the clone during the copy, then empty its database and copy again; a table the clone cannot read needs the restoring role to own it.`,
    );
    this.name = 'RowCountMismatchError';
    this.differences = differences;
  }
  static override isInstance(error: unknown): error is RowCountMismatchError {
    return kindCheck(CLONE_ERROR_CODES.ROW_COUNT_MISMATCH)(error);
  }
}
