export { type DokployBaseUrl, isLocalHost, normalizeBaseUrl } from './base-url.js';
export {
  type CallOptions,
  type ComposeCreateInput,
  createDokployClient,
  type DeployTemplateInput,
  DokployClient,
} from './client.js';
export {
  type DokployLogStream,
  type StreamContainerLogsOptions,
  streamContainerLogs,
} from './container-logs.js';
export { ENDPOINTS, type Endpoint, type EndpointInput, type EndpointName } from './endpoints.js';
export { diagnoseEnv, type EnvDiagnosis, type EnvProblem } from './env-check.js';
export {
  DokployAbortError,
  DokployConfigError,
  DokployConflictError,
  DokployDeploymentFailedError,
  DokployEnvError,
  DokployError,
  DokployForbiddenError,
  DokployHttpError,
  DokployInputError,
  type DokployIssue,
  DokployNetworkError,
  DokployNotFoundError,
  DokployPermissionError,
  type DokployRequestInfo,
  DokployResponseError,
  DokployServerError,
  DokployStreamError,
  type DokployStreamErrorKind,
  DokployTimeoutError,
  DokployUnauthorizedError,
  DokployValidationError,
  DokployVersionError,
} from './errors.js';
export type { DokployClientOptions } from './options.js';
export { PROCEDURE_PERMISSIONS, type ProcedurePermission } from './permissions.js';
export { isSecretEnvKey, maskSecret, redactEnv } from './redact.js';
export { createDokployRegistry, DokployRegistry } from './registry.js';
export type {
  ComposeStatus,
  DeploymentStatus,
  DokployCompose,
  DokployComposeDetail,
  DokployContainer,
  DokployContainerConfig,
  DokployDeployment,
  DokployDeployQueued,
  DokployDomain,
  DokployDomainValidation,
  DokployEnvironment,
  DokployHealth,
  DokployImportResult,
  DokployMount,
  DokployProcessedTemplate,
  DokployProject,
  DokployProjectCreated,
  DokployProjectSearch,
  DokployTemplateInfo,
  DokployUser,
} from './responses.js';
export { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export type { DokployLogger, DokployRetryEvent } from './transport.js';
export {
  compareVersions,
  DOKPLOY_FEATURES,
  type DokployFeature,
  type DokployVersion,
  KNOWN_AUTH_ISSUES,
  type KnownAuthIssue,
  knownAuthIssuesFor,
  parseDokployVersion,
} from './version.js';
export {
  type DeployAndWaitOptions,
  type DeploymentProgress,
  deployAndWait,
  type WaitForDeploymentOptions,
  waitForDeployment,
} from './wait-for-deployment.js';
