// The public surface of @supaops/pg-connect. Named exports only: anything added here is public API.
export { sendCancelRequest } from './cancel.js';
export {
  chooseRole,
  type RoleChoice,
  type RoleDecision,
  type TouchedObject,
} from './choose-role.js';
export type {
  ClassifiedStatement,
  DestructiveFinding,
  DestructiveKind,
} from './classification.js';
export { classifyStatements, isDestructive } from './classify-statements.js';
export { type ConnectFailureKind, classifyConnectError } from './connect-errors.js';
export {
  DIAGNOSTIC_CODES,
  type DiagnosePurpose,
  type Diagnostic,
  type DiagnosticSeverity,
  diagnoseTarget,
} from './diagnose.js';
export {
  AuthenticationError,
  type CancelReason,
  ConnectionError,
  ConnectionStringError,
  PermissionDeniedError,
  PgConnectError,
  type PgConnectErrorCode,
  PgConnectValidationError,
  type PgErrorFields,
  PgQueryError,
  PoolStateError,
  PoolTimeoutError,
  QueryCanceledError,
  ReadOnlyViolationError,
  TooManyConnectionsError,
} from './errors.js';
export { EXECUTE_DEFAULTS, type ExecuteOptions, executeSql } from './execute.js';
export type { ParseDefaults } from './libpq-defaults.js';
export { LIBPQ_KEYS, SSL_MODES, type SslMode } from './libpq-keys.js';
export {
  type ConnectionGroup,
  type ConnectionReport,
  type MonitorOptions,
  monitorConnections,
  type Recommendation,
  type SessionInfo,
  type SupabaseService,
  serviceFor,
  type UsageLevel,
} from './monitor.js';
export {
  type CheckNetworkOptions,
  type ContainerInfo,
  checkNetwork,
  detectContainer,
  type NetworkAlternative,
  type NetworkCheck,
  tunnelTarget,
} from './network.js';
export { type ParseOptions, parseConnectionTarget } from './parse.js';
export { type DotenvOptions, type EnvRecord, parseDotenvText } from './parse-env.js';
export {
  DEFAULT_APPLICATION_NAME,
  type PgConfigOverrides,
  tlsOptions,
  toPgConfig,
} from './pg-config.js';
export { createPool, POOL_DEFAULTS, type PoolOptions, SupaopsPool } from './pool.js';
export { SUPABASE_SCHEMA_OWNERS } from './query-errors.js';
export { redactConnectionString } from './redact.js';
export { PoolRegistry } from './registry.js';
export {
  maskSecret,
  quoteKeyValue,
  REDACTED,
  redactKeyValue,
  redactTarget,
  renderKeyValue,
  renderUrl,
} from './render.js';
export type { Queryable } from './resolve-db.js';
export { type ColumnInfo, type RowMode, SqlResult, StatementResult } from './result.js';
export { quoteIdent, quoteLiteral } from './sql.js';
export {
  type ConnectionMode,
  type ConnectionTarget,
  classifyHost,
  forbidsFor,
  type HostKind,
  type ModeForbids,
  type ParseNote,
  type Pooler,
  type TargetSource,
} from './target.js';
