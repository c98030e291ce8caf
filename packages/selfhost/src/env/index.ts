// @supaops/selfhost/env: the env contract alone (parse, edit, serialize, diff, guard, the variable
// schema). It loads no Dokploy or PostgreSQL client, so a tool that only reads or edits an env
// starts fast. Every name here is also exported by the package root.

export {
  EnvCiphertextError,
  EnvSyntaxError,
  type EnvSyntaxProblem,
  SelfhostError,
  SelfhostValidationError,
} from '../errors.js';
export {
  type DiffEnvOptions,
  diffEnv,
  type EnvDiff,
  type EnvDiffEntry,
  type EnvDiffStatus,
  formatEnvDiff,
} from './diff.js';
export {
  ENV_KEY_PATTERN,
  type EnvEdit,
  type EnvEditResult,
  editEnv,
  setEnvValues,
  unsetEnvKeys,
} from './edit.js';
export { assertEnvWritable, looksLikeCiphertext } from './guard.js';
export {
  envEntries,
  findDuplicateKeys,
  type ParseEnvOptions,
  parseEnv,
  toEnvRecord,
} from './parse.js';
export { checkConstraint } from './schema/constraints.js';
export {
  DOKPLOY_INJECTED_VARIABLES,
  DOKPLOY_TEMPLATE_SERVICES,
  ENV_VARIABLES,
  envVariable,
  isSecretVariable,
} from './schema/table.js';
export type {
  ConstraintKind,
  EnvConstraint,
  EnvGroup,
  EnvSourceFile,
  EnvVariableSpec,
  SupabaseServiceName,
} from './schema/types.js';
export {
  formatEnvLine,
  formatEnvValue,
  needsQuotes,
  serializeEnv,
  serializeEnvRecord,
} from './serialize.js';
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
} from './types.js';
