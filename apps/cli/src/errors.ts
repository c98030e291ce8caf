import { EXIT_CODES } from './exit-codes.js';

const MARKER = Symbol.for('supaops.cli.error');

/**
 * A failure the CLI itself detects (bad input, a refused confirmation, an unreadable file).
 * `fix` is the one line that tells the user what to do.
 */
export class CliError extends Error {
  readonly [MARKER] = true;
  readonly code: string;
  readonly exitCode: number;
  readonly fix: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; fix?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT_CODES.runtime;
    this.fix = options.fix;
  }

  static isInstance(value: unknown): value is CliError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Wrong or missing flags and arguments: exit code 2. */
export function usageError(code: string, message: string, fix?: string): CliError {
  return new CliError(code, message, { exitCode: EXIT_CODES.usage, ...(fix ? { fix } : {}) });
}

export interface ClassifiedError {
  exitCode: number;
  code: string;
  message: string;
  fix?: string;
}

// Library errors are recognised by their packages' markers, so this module imports none of them
// (`supaops --help` must stay free of library code).
function markedBy(error: object, pkg: string): boolean {
  return Symbol.for(`supaops.${pkg}.error`) in error;
}

const PG_CONNECT_EXIT: Record<string, number> = {
  VALIDATION_FAILED: EXIT_CODES.usage,
  CONNECTION_STRING_INVALID: EXIT_CODES.usage,
  CONNECTION_FAILED: EXIT_CODES.connection,
  HOST_NOT_FOUND: EXIT_CODES.connection,
  AUTHENTICATION_FAILED: EXIT_CODES.connection,
  TOO_MANY_CONNECTIONS: EXIT_CODES.connection,
  POOL_TIMEOUT: EXIT_CODES.connection,
};

const SELFHOST_EXIT: Record<string, number> = {
  SELFHOST_INVALID_INPUT: EXIT_CODES.usage,
  // an .env that must not be written back (ciphertext, unreadable lines) is a file failure
  SELFHOST_ENV_CIPHERTEXT: EXIT_CODES.file,
  SELFHOST_ENV_UNPARSEABLE: EXIT_CODES.file,
  SELFHOST_DOCTOR_SOURCE_FAILED: EXIT_CODES.connection,
  // nothing recorded to undo, or the compose changed since: the rollback's own "no"
  SELFHOST_ROLLBACK_UNAVAILABLE: EXIT_CODES.failedChecks,
  SELFHOST_ROLLBACK_STALE: EXIT_CODES.failedChecks,
  SELFHOST_DOMAIN_NOT_FOUND: EXIT_CODES.usage,
  SELFHOST_LETSENCRYPT_UNREACHABLE: EXIT_CODES.usage,
  SELFHOST_TLS_CHECK_FAILED: EXIT_CODES.connection,
  // clone: the source is not what the instance should point at, or a setting cannot be derived
  SELFHOST_CLONE_SOURCE_INVALID: EXIT_CODES.config,
  SELFHOST_CLONE_SETTINGS_INCOMPLETE: EXIT_CODES.usage,
  SELFHOST_CLONE_ABORTED: EXIT_CODES.interrupted,
  SELFHOST_DATABASE_UNRESOLVED: EXIT_CODES.config,
  SELFHOST_DATA_COPY_FAILED: EXIT_CODES.backup,
  SELFHOST_ROW_COUNT_MISMATCH: EXIT_CODES.backup,
  // promote / schema sync: a refused or failed migration run is a migration failure
  SELFHOST_SCHEMA_DIVERGED: EXIT_CODES.migration,
  SELFHOST_SCHEMA_SYNC_FAILED: EXIT_CODES.migration,
  SELFHOST_SCHEMA_HISTORY_MISMATCH: EXIT_CODES.migration,
  SELFHOST_SCHEMA_BACKUP_FAILED: EXIT_CODES.backup,
  SELFHOST_SYNC_STRATEGY_NOT_YET: EXIT_CODES.usage,
  SELFHOST_SYNC_ABORTED: EXIT_CODES.interrupted,
  SELFHOST_PRODUCTION_CONFIRMATION_REQUIRED: EXIT_CODES.usage,
  SELFHOST_PROMOTE_READ_FAILED: EXIT_CODES.connection,
};

// Dokploy's address and key come from the config; failing to reach or authenticate is a connection
const DOKPLOY_EXIT: Record<string, number> = {
  DOKPLOY_INVALID_INPUT: EXIT_CODES.usage,
  DOKPLOY_CONFIG: EXIT_CODES.config,
  DOKPLOY_NETWORK: EXIT_CODES.connection,
  DOKPLOY_TIMEOUT: EXIT_CODES.connection,
  DOKPLOY_UNAUTHORIZED: EXIT_CODES.connection,
  DOKPLOY_ABORTED: EXIT_CODES.interrupted,
};

function exitCodeOf(error: object, code: string): number {
  if (markedBy(error, 'config')) return EXIT_CODES.config;
  if (markedBy(error, 'pg-connect')) return PG_CONNECT_EXIT[code] ?? EXIT_CODES.sql;
  if (markedBy(error, 'migrator')) {
    if (code === 'MIGRATOR_INVALID_INPUT' || code === 'MIGRATION_CONNECTION_INVALID') {
      return EXIT_CODES.usage;
    }
    if (code === 'MIGRATION_ABORTED') return EXIT_CODES.interrupted;
    return code === 'MIGRATION_CONNECT_FAILED' ? EXIT_CODES.connection : EXIT_CODES.migration;
  }
  if (markedBy(error, 'backup-engine')) {
    if (code === 'BACKUP_VALIDATION_FAILED') return EXIT_CODES.usage;
    return code === 'BACKUP_ABORTED' ? EXIT_CODES.interrupted : EXIT_CODES.backup;
  }
  if (markedBy(error, 'sandbox')) {
    return code === 'VALIDATION_FAILED' ? EXIT_CODES.usage : EXIT_CODES.sandbox;
  }
  if (markedBy(error, 'mcp-server')) {
    return code === 'MCP_INVALID_OPTIONS' ? EXIT_CODES.usage : EXIT_CODES.runtime;
  }
  if (markedBy(error, 'selfhost')) return SELFHOST_EXIT[code] ?? EXIT_CODES.runtime;
  if (markedBy(error, 'dokploy-client')) return DOKPLOY_EXIT[code] ?? EXIT_CODES.runtime;
  if (markedBy(error, 'supabase-jwt')) {
    return code === 'SUPABASE_JWT_INVALID_INPUT' ? EXIT_CODES.usage : EXIT_CODES.runtime;
  }
  return EXIT_CODES.runtime;
}

/** Library messages end with "Fix: …"; the CLI prints that part on its own line. */
export function splitFix(message: string): { message: string; fix?: string } {
  const at = message.search(/\s*\bFix:\s/);
  if (at < 0) return { message };
  const fix = message
    .slice(at)
    .replace(/^\s*Fix:\s*/, '')
    .trim();
  return { message: message.slice(0, at).trim(), ...(fix ? { fix } : {}) };
}

/** Maps any thrown value to the exit code, a stable code, the message and the fix. */
export function classifyError(error: unknown, interrupted = false): ClassifiedError {
  if (CliError.isInstance(error)) {
    const { message, fix } = splitFix(error.message);
    const resolvedFix = error.fix ?? fix;
    return {
      exitCode: interrupted ? EXIT_CODES.interrupted : error.exitCode,
      code: error.code,
      message,
      ...(resolvedFix ? { fix: resolvedFix } : {}),
    };
  }
  if (typeof error === 'object' && error !== null && error instanceof Error) {
    const raw = error as Error & { code?: unknown };
    const code = typeof raw.code === 'string' ? raw.code : 'UNEXPECTED';
    const { message, fix } = splitFix(raw.message);
    return {
      exitCode: interrupted ? EXIT_CODES.interrupted : exitCodeOf(error, code),
      code,
      message,
      ...(fix ? { fix } : {}),
    };
  }
  return {
    exitCode: interrupted ? EXIT_CODES.interrupted : EXIT_CODES.runtime,
    code: 'UNEXPECTED',
    message: String(error),
  };
}
