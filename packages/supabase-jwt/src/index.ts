export type { DecodedJwt, DecodeResult } from './compact-jwt.js';
export { decodeCompactJwt } from './compact-jwt.js';
export type { ApiKeyRole } from './constants.js';
export {
  API_KEY_ROLES,
  DEFAULT_API_KEY_LIFETIME_SECONDS,
  DEFAULT_JWT_SECRET_LENGTH,
  DOKPLOY_FIXED_EXP,
  MIN_JWT_SECRET_LENGTH,
  SERVICES_BY_VARIABLE,
  SUPABASE_ISSUER,
} from './constants.js';
export {
  CLI_DEMO_JWT_SECRET,
  DEMO_ANON_KEY,
  DEMO_API_KEYS,
  DEMO_JWT_SECRET,
  DEMO_JWT_SECRETS,
  DEMO_SERVICE_ROLE_KEY,
} from './demo.js';
export type { DiagnoseOptions, Diagnosis, KeyEnv } from './diagnose.js';
export { diagnoseKeys } from './diagnose.js';
export type { InputIssue, SupabaseJwtErrorCode } from './errors.js';
export {
  ERROR_CODES,
  InvalidInputError,
  KeyFormatError,
  SecretConstraintError,
  SigningError,
  SupabaseJwtError,
  TokenVerificationError,
} from './errors.js';
export type { Finding, FindingCode, FindingCodeInfo, Severity } from './finding-codes.js';
export { ALL_FINDING_CODES, FINDING_CODES } from './finding-codes.js';
export type {
  GenerateSupabaseEnvOptions,
  NewStyleKeys,
  SupabaseEnv,
} from './generate-env.js';
export { generateNewStyleKeys, generateSupabaseEnv } from './generate-env.js';
export type { EcJwk, JwksDocument, OctJwk, SupabaseJwk } from './jwk.js';
export { parseJwks, parseJwtKeys } from './jwk.js';
export type {
  GenerateLegacyApiKeysInput,
  LegacyApiKeys,
  SignLegacyApiKeyInput,
} from './legacy-keys.js';
export { generateLegacyApiKeys, signLegacyApiKey } from './legacy-keys.js';
export type { OpaqueApiKeys, ParsedOpaqueKey } from './opaque-keys.js';
export { generateOpaqueApiKeys, opaqueKeyChecksum, parseOpaqueApiKey } from './opaque-keys.js';
export { redactSecret } from './redact.js';
export type { KeyRepairPlan, PlanKeyRepairOptions, RepairConsequences } from './repair.js';
export { planKeyRepair } from './repair.js';
export type {
  GeneratedSecrets,
  GenerateSecretsOptions,
  SecretName,
  SecretViolation,
} from './secrets.js';
export {
  assertSecretConstraints,
  checkSecretConstraints,
  DEMO_SECRET_VALUES,
  generateSecrets,
  SECRET_CONSTRAINTS,
} from './secrets.js';
export type {
  AsymmetricApiKeys,
  GenerateSigningKeysOptions,
  SignEs256Input,
  SigningKeys,
  VerifiedToken,
  VerifyWithJwksInput,
} from './signing-keys.js';
export {
  generateAsymmetricApiKeys,
  generateSigningKeys,
  signEs256,
  verifyWithJwks,
} from './signing-keys.js';
