// The public surface of @supaops/selfhost. Named exports only: anything added here is public API.

export type { StorageInput } from './clone/backup-storage.js';
export type { CloneDataResult, TableRowCount } from './clone/clone-data.js';
export {
  CLONE_ERROR_CODES,
  CloneAbortedError,
  type CloneErrorCode,
  CloneSettingsError,
  CloneSourceError,
  DatabaseUnresolvedError,
  DataCopyError,
  type RowCountDifference,
  RowCountMismatchError,
} from './clone/clone-errors.js';
export type {
  CloneDataOptions,
  CloneEvent,
  CloneInstanceInput,
  ClonePhase,
  CloneTarget,
} from './clone/clone-input.js';
export { type CloneResult, cloneInstance } from './clone/clone-instance.js';
export {
  type BackupRestoreCopyOptions,
  backupRestoreCopy,
  type DataCopyContext,
  type DataCopyOutcome,
  type DataCopyStrategy,
} from './clone/data-copy.js';
export {
  type DatabaseRef,
  type InstanceInfo,
  sessionPoolerUrl,
} from './clone/database-ref.js';
export type { MountCopyResult, SkippedMount } from './clone/mounts.js';
export { type ClonePlan, planClone } from './clone/plan-clone.js';
export { INSTANCE_SECRET_KEYS } from './clone/source-settings.js';
export { composeServiceNames } from './doctor/compose-services.js';
export {
  ALL_DOCTOR_CODES,
  DOCTOR_FINDING_CODES,
  type DoctorCodeInfo,
  type DoctorFinding,
  type DoctorFindingCode,
  type DoctorResult,
  type DoctorSeverity,
  type DoctorSkip,
} from './doctor/finding.js';
export { dokploySlug } from './doctor/names.js';
export {
  type EnvInput,
  type OfflineDoctorInput,
  type OnlineDoctorInput,
  type ValidateEnvOptions,
  validateConfig,
  validateEnv,
} from './doctor/validate-config.js';
export {
  type DiffEnvOptions,
  diffEnv,
  type EnvDiff,
  type EnvDiffEntry,
  type EnvDiffStatus,
  formatEnvDiff,
} from './env/diff.js';
export {
  ENV_KEY_PATTERN,
  type EnvEdit,
  type EnvEditResult,
  editEnv,
  setEnvValues,
  unsetEnvKeys,
} from './env/edit.js';
export { assertEnvWritable, looksLikeCiphertext } from './env/guard.js';
export {
  envEntries,
  findDuplicateKeys,
  type ParseEnvOptions,
  parseEnv,
  toEnvRecord,
} from './env/parse.js';
export { checkConstraint } from './env/schema/constraints.js';
export {
  DOKPLOY_INJECTED_VARIABLES,
  DOKPLOY_TEMPLATE_SERVICES,
  ENV_VARIABLES,
  envVariable,
  isSecretVariable,
} from './env/schema/table.js';
export type {
  ConstraintKind,
  EnvConstraint,
  EnvGroup,
  EnvSourceFile,
  EnvVariableSpec,
  SupabaseServiceName,
} from './env/schema/types.js';
export {
  formatEnvLine,
  formatEnvValue,
  needsQuotes,
  serializeEnv,
  serializeEnvRecord,
} from './env/serialize.js';
export type {
  EnvDocument,
  EnvEntry,
  EnvInvalidLine,
  EnvIssue,
  EnvIssueKind,
  EnvNode,
  EnvQuote,
  EnvRecord,
  EnvTrivia,
} from './env/types.js';
export {
  DoctorSourceError,
  EnvCiphertextError,
  EnvSyntaxError,
  type EnvSyntaxProblem,
  ERROR_CODES,
  type InputIssue,
  SelfhostError,
  type SelfhostErrorCode,
  SelfhostValidationError,
} from './errors.js';
export {
  type DomainChangePlan,
  type DomainPlanInput,
  type DomainPlanNote,
  type DomainSettings,
  describeDomain,
  planDomainChange,
} from './ops/domain-plan.js';
export {
  assertLetsEncryptReachable,
  type CertificateType,
  changeDomain,
  type DomainChange,
  type DomainChangeResult,
  listDomains,
} from './ops/domains.js';
export {
  type CheckHealthInput,
  type ConnectionPressure,
  checkHealth,
  type HealthReport,
} from './ops/health.js';
export {
  checkInstanceHealth,
  type InstanceHealthInput,
  type InstanceHealthReport,
  type InstancePart,
  type InstancePartStatus,
} from './ops/instance-health.js';
export {
  type InstanceListError,
  type ListSupabaseInstancesInput,
  type ListSupabaseInstancesResult,
  listSupabaseInstances,
  type SupabaseInstance,
  supabaseMarkers,
} from './ops/instances.js';
export { secretRedactor } from './ops/log-redaction.js';
export {
  type ComposeLogs,
  type LogLine,
  mergeLogLines,
  parseLogLines,
  type ReadLogsInput,
  readComposeLogs,
  type ServiceLogSource,
} from './ops/logs.js';
export {
  type FollowLogsInput,
  type FollowLogsResult,
  type FollowSource,
  followComposeLogs,
} from './ops/logs-follow.js';
export {
  DomainNotFoundError,
  LetsEncryptUnreachableError,
  RollbackStaleError,
  RollbackUnavailableError,
  TlsCheckError,
} from './ops/ops-errors.js';
export {
  type RollbackInput,
  type RollbackResult,
  type RollbackTarget,
  rollback,
  rollbackTarget,
} from './ops/rollback.js';
export { type EmbeddedAddress, embeddedAddress, nonPublicRange } from './ops/sslip.js';
export {
  type CertificateExpiry,
  type CertificateInfo,
  type CheckCertificateInput,
  certificateExpiry,
  checkCertificateExpiry,
  nodeTlsConnector,
  type TlsConnector,
} from './ops/tls-expiry.js';
export {
  type UpdateComposeInput,
  type UpdateComposeResult,
  updateCompose,
} from './ops/update-compose.js';
export {
  healthTransitions,
  type WatchEvent,
  type WatchHealthInput,
  watchHealth,
} from './ops/watch.js';
export { alignImages, type ImageAlignment, type ImageChange } from './promote/image-align.js';
export { type PromoteResult, promoteDeployment } from './promote/promote-deployment.js';
export {
  ComposeFileError,
  type Divergence,
  type DivergenceKind,
  PROMOTE_ERROR_CODES,
  ProductionConfirmationRequiredError,
  type PromoteErrorCode,
  PromoteReadError,
  SchemaBackupFailedError,
  SchemaDivergenceError,
  SchemaHistoryMismatchError,
  SchemaSyncFailedError,
  SyncAbortedError,
  SyncStrategyNotYetError,
} from './promote/promote-errors.js';
export type {
  PromoteDeploymentInput,
  PromoteEvent,
  PromoteInstance,
  PromotePhase,
  PromoteTarget,
} from './promote/promote-input.js';
export type { SyncBackup } from './promote/sync-backup.js';
export {
  SYNC_STRATEGIES,
  type SyncBackupOptions,
  type SyncEvent,
  type SyncPhase,
  type SyncSchemaInput,
  type SyncStrategy,
} from './promote/sync-input.js';
export {
  historyDifferences,
  type MigrationRef,
  planSync,
  type SkippedMigration,
  type SyncPlan,
} from './promote/sync-plan.js';
export { type SyncSchemaResult, syncSchema } from './promote/sync-schema.js';
export {
  type ApplyRepairOptions,
  applyRepair,
  type RepairResult,
} from './repair/apply-repair.js';
export {
  type DomainRepair,
  type PlanRepairInput,
  planRepair,
  type RepairPlan,
  repairPlanEnv,
} from './repair/plan-repair.js';
export { type DeployLockOptions, deployLockKey, withDeployLock } from './safety/deploy-lock.js';
export { lockFilePath } from './safety/deploy-lock-file.js';
export {
  createHistoryStore,
  type HistoryKind,
  type HistoryRecord,
  type HistoryStore,
  historyDir,
  wizardStatePath,
} from './safety/history.js';
export {
  DeployLockError,
  type DeployLockHolder,
  DeployLockTimeoutError,
  TemplateInvalidError,
  type TemplateProblem,
} from './safety/safety-errors.js';
export {
  assertTemplateValid,
  incompleteMountsMessage,
  type TemplateCheck,
  type TemplateInput,
  validateTemplate,
} from './safety/template-check.js';
export {
  TEMPLATE_FINDING_CODES,
  type TemplateFinding,
  type TemplateFindingCode,
} from './safety/template-findings.js';
export {
  type ImportTemplateInput,
  type ImportTemplateResult,
  importTemplate,
} from './safety/template-import.js';
export type { ContainerHealth } from './validate/containers.js';
export type { DeploymentCheck } from './validate/http-checks.js';
export {
  type DeploymentReport,
  formatDeploymentReport,
  type ValidateDeploymentInput,
  validateDeployment,
} from './validate/validate-deployment.js';
export {
  BUNDLED_COMPOSE_FILE,
  BUNDLED_TEMPLATE_CONFIG,
  BUNDLED_TEMPLATE_SOURCE,
  BUNDLED_TEMPLATE_TOML,
} from './wizard/bundled-template.js';
export type { StepContext, WizardDeps, WizardStep } from './wizard/context.js';
export { WIZARD_STEPS, type WizardEvent, type WizardStepName } from './wizard/events.js';
export { type WizardAnswers, type WizardInput, wizardInputSchema } from './wizard/input.js';
export {
  runSetupWizard,
  type WizardResult,
  type WizardSummary,
} from './wizard/run-wizard.js';
export {
  createWizardStateStore,
  type StepRecord,
  type WizardState,
  type WizardStateStore,
} from './wizard/state-store.js';
export { MIN_DOKPLOY_VERSION, MIN_DOKPLOY_VERSION_OWN_COMPOSE } from './wizard/steps/connect.js';
export { poolerConnectionStrings } from './wizard/steps/summary.js';
export {
  DeployCancelledError,
  DeployFailedError,
  DeploymentInvalidError,
  DokployUnsupportedError,
  HistoryWriteError,
  RepairStaleError,
  ReviewNotCleanError,
  type ServiceLogs,
  WizardAbortedError,
  WizardStateError,
  WizardStepError,
} from './workflow-errors.js';
