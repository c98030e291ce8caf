import { ERROR_CODES, kindCheck, SelfhostError } from '../errors.js';

/** The schema sync and promote codes of ERROR_CODES, by themselves. */
export const PROMOTE_ERROR_CODES = {
  SCHEMA_DIVERGED: ERROR_CODES.SCHEMA_DIVERGED,
  SCHEMA_BACKUP_FAILED: ERROR_CODES.SCHEMA_BACKUP_FAILED,
  SCHEMA_SYNC_FAILED: ERROR_CODES.SCHEMA_SYNC_FAILED,
  SCHEMA_HISTORY_MISMATCH: ERROR_CODES.SCHEMA_HISTORY_MISMATCH,
  SYNC_STRATEGY_NOT_YET: ERROR_CODES.SYNC_STRATEGY_NOT_YET,
  SYNC_ABORTED: ERROR_CODES.SYNC_ABORTED,
  PRODUCTION_CONFIRMATION_REQUIRED: ERROR_CODES.PRODUCTION_CONFIRMATION_REQUIRED,
  COMPOSE_FILE_UNREADABLE: ERROR_CODES.COMPOSE_FILE_UNREADABLE,
  PROMOTE_READ_FAILED: ERROR_CODES.PROMOTE_READ_FAILED,
} as const;

export type PromoteErrorCode = (typeof PROMOTE_ERROR_CODES)[keyof typeof PROMOTE_ERROR_CODES];

/** Why the target's history cannot simply be extended with the source's migrations. */
export type DivergenceKind =
  | 'target-only'
  | 'checksum-mismatch'
  | 'name-mismatch'
  | 'source-file-changed'
  | 'source-file-missing';

export interface Divergence {
  readonly kind: DivergenceKind;
  readonly version: string;
  readonly name: string;
  readonly detail: string;
  readonly fix: string;
}

/** The target's history diverges from the source's; nothing was backed up or written. */
export class SchemaDivergenceError extends SelfhostError {
  readonly divergence: readonly Divergence[];
  constructor(divergence: readonly Divergence[]) {
    const lines = divergence
      .slice(0, 5)
      .map((d) => `${d.version} ${d.name}: ${d.detail} (${d.fix})`)
      .join('; ');
    const more = divergence.length > 5 ? `; and ${divergence.length - 5} more` : '';
    super(
      PROMOTE_ERROR_CODES.SCHEMA_DIVERGED,
      `The target's migration history diverges from the source's: ${lines}${more}. Nothing was backed up or written. Fix: resolve each entry as its fix says (divergence lists them), then sync again.`,
    );
    this.name = 'SchemaDivergenceError';
    this.divergence = divergence;
  }
  static override isInstance(error: unknown): error is SchemaDivergenceError {
    return kindCheck(PROMOTE_ERROR_CODES.SCHEMA_DIVERGED)(error);
  }
}

/** The backup of the target failed, so no migration was applied. */
export class SchemaBackupFailedError extends SelfhostError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      PROMOTE_ERROR_CODES.SCHEMA_BACKUP_FAILED,
      `The backup of the target database failed, so no migration was applied: ${reason} Fix: correct the storage (a writable directory, or the bucket and its credentials) or the database access named above, then sync again.`,
      options,
    );
    this.name = 'SchemaBackupFailedError';
  }
  static override isInstance(error: unknown): error is SchemaBackupFailedError {
    return kindCheck(PROMOTE_ERROR_CODES.SCHEMA_BACKUP_FAILED)(error);
  }
}

/**
 * Reading the histories failed (`stage: "read"`, nothing written), or a migration failed on the
 * target (`"apply"`; the migrator's error is the cause, the backup is named).
 */
export class SchemaSyncFailedError extends SelfhostError {
  readonly stage: 'read' | 'apply';
  readonly backupId: string | undefined;
  constructor(
    stage: 'read' | 'apply',
    reason: string,
    backupId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      PROMOTE_ERROR_CODES.SCHEMA_SYNC_FAILED,
      stage === 'read'
        ? `Reading the migration histories failed: ${reason} Nothing was written. Fix: check both connections (direct, or the Supavisor session port 5432: the transaction port 6543 cannot hold the migration lock) and the migrations directory, then sync again.`
        : `Applying the migrations to the target failed: ${reason} Each migration commits on its own, so the ones before it stay applied and the failing one left nothing. Fix: correct the migration (or the target) and sync again; to go back, restore backup ${backupId ?? '(none)'} with restoreBackup.`,
      options,
    );
    this.name = 'SchemaSyncFailedError';
    this.stage = stage;
    this.backupId = backupId;
  }
  static override isInstance(error: unknown): error is SchemaSyncFailedError {
    return kindCheck(PROMOTE_ERROR_CODES.SCHEMA_SYNC_FAILED)(error);
  }
}

/** After applying, the two histories still differ (something else migrated the target meanwhile). */
export class SchemaHistoryMismatchError extends SelfhostError {
  readonly versions: readonly string[];
  constructor(versions: readonly string[], backupId: string | undefined) {
    super(
      PROMOTE_ERROR_CODES.SCHEMA_HISTORY_MISMATCH,
      `After the sync the target's migration history still differs from the source's at ${versions.join(', ')}. Fix: check whether another run migrated either database meanwhile (migrator status on both), then sync again; backup ${backupId ?? '(none)'} holds the target as it was before.`,
    );
    this.name = 'SchemaHistoryMismatchError';
    this.versions = versions;
  }
  static override isInstance(error: unknown): error is SchemaHistoryMismatchError {
    return kindCheck(PROMOTE_ERROR_CODES.SCHEMA_HISTORY_MISMATCH)(error);
  }
}

/** A sync strategy that is planned but not implemented yet (a diff-based sync). */
export class SyncStrategyNotYetError extends SelfhostError {
  readonly strategy: string;
  constructor(strategy: string) {
    super(
      PROMOTE_ERROR_CODES.SYNC_STRATEGY_NOT_YET,
      `The "${strategy}" schema sync is not implemented yet; only "migrations" is. Nothing was done. Fix: put the changes in migration files (supabase/migrations) and use strategy "migrations".`,
    );
    this.name = 'SyncStrategyNotYetError';
    this.strategy = strategy;
  }
  static override isInstance(error: unknown): error is SyncStrategyNotYetError {
    return kindCheck(PROMOTE_ERROR_CODES.SYNC_STRATEGY_NOT_YET)(error);
  }
}

/** The caller's signal stopped a sync or promote; `phase` says where. */
export class SyncAbortedError extends SelfhostError {
  readonly phase: string;
  constructor(phase: string, options?: { cause?: unknown }) {
    super(
      PROMOTE_ERROR_CODES.SYNC_ABORTED,
      `The schema sync was aborted during "${phase}". Migrations committed before the abort stay applied, the interrupted one was rolled back. Fix: run it again; applied migrations are skipped.`,
      options,
    );
    this.name = 'SyncAbortedError';
    this.phase = phase;
  }
  static override isInstance(error: unknown): error is SyncAbortedError {
    return kindCheck(PROMOTE_ERROR_CODES.SYNC_ABORTED)(error);
  }
}

/** A production target needs `confirmProduction: true`. */
export class ProductionConfirmationRequiredError extends SelfhostError {
  readonly composeId: string;
  constructor(composeId: string) {
    super(
      PROMOTE_ERROR_CODES.PRODUCTION_CONFIRMATION_REQUIRED,
      `The target compose ${composeId} is labelled production; promoting into it changes its schema (and its images when asked). Nothing was done. Fix: review the plan with dryRun: true, then pass confirmProduction: true.`,
    );
    this.name = 'ProductionConfirmationRequiredError';
    this.composeId = composeId;
  }
  static override isInstance(error: unknown): error is ProductionConfirmationRequiredError {
    return kindCheck(PROMOTE_ERROR_CODES.PRODUCTION_CONFIRMATION_REQUIRED)(error);
  }
}

/** A compose file whose services cannot be read as YAML, so its images cannot be aligned. */
export class ComposeFileError extends SelfhostError {
  readonly composeId: string;
  constructor(composeId: string, reason: string, options?: { cause?: unknown }) {
    super(
      PROMOTE_ERROR_CODES.COMPOSE_FILE_UNREADABLE,
      `The compose file of ${composeId} cannot be read as a compose (${reason}), so its images were not aligned and nothing was written. Fix: correct the file in Dokploy (docker compose config shows the error), or promote without alignImages.`,
      options,
    );
    this.name = 'ComposeFileError';
    this.composeId = composeId;
  }
  static override isInstance(error: unknown): error is ComposeFileError {
    return kindCheck(PROMOTE_ERROR_CODES.COMPOSE_FILE_UNREADABLE)(error);
  }
}

/** A compose of the promotion could not be read from Dokploy; nothing was done. */
export class PromoteReadError extends SelfhostError {
  readonly composeId: string;
  constructor(which: string, composeId: string, reason: string, options?: { cause?: unknown }) {
    super(
      PROMOTE_ERROR_CODES.PROMOTE_READ_FAILED,
      `The ${which} compose ${composeId} could not be read: ${reason}. Nothing was done. Fix: check the composeId and that the client points at the Dokploy server that has it (listSupabaseInstances lists them).`,
      options,
    );
    this.name = 'PromoteReadError';
    this.composeId = composeId;
  }
  static override isInstance(error: unknown): error is PromoteReadError {
    return kindCheck(PROMOTE_ERROR_CODES.PROMOTE_READ_FAILED)(error);
  }
}
