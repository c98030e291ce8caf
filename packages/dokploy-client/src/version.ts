import { z } from 'zod';
import { DokployInputError } from './errors.js';
import { ensure } from './validate.js';

/** A parsed Dokploy version (`settings.getDokployVersion` answers e.g. `v0.30.2`). */
export interface DokployVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release or build suffix, e.g. `canary.3`, or `undefined`. */
  readonly suffix: string | undefined;
  /** Normalized `v<major>.<minor>.<patch>` (suffix appended when present). */
  readonly raw: string;
}

const VERSION_RE = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:[-+]([0-9A-Za-z.-]+))?\s*$/;

/** Parses `v0.30.2`, `0.30.2` or `0.30.2-canary.1`; throws `DokployInputError` otherwise. */
export function parseDokployVersion(input: string): DokployVersion {
  const text = z.string().safeParse(input);
  const m = text.success ? VERSION_RE.exec(text.data) : null;
  if (!m) {
    throw new DokployInputError(
      `"${String(input)}" is not a Dokploy version. Fix: pass a version like "v0.30.2" or "0.25.6".`,
      [{ message: 'expected v<major>.<minor>.<patch>' }],
    );
  }
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const suffix = m[4];
  return {
    major,
    minor,
    patch,
    suffix,
    raw: `v${major}.${minor}.${patch}${suffix ? `-${suffix}` : ''}`,
  };
}

/** Compares two versions (objects or strings): negative, 0 or positive. Suffixes are ignored. */
const versionObject = z.object({
  major: z.number().int(),
  minor: z.number().int(),
  patch: z.number().int(),
});
const versionLike = z.union([z.string(), versionObject]);

export function compareVersions(a: DokployVersion | string, b: DokployVersion | string): number {
  ensure(versionLike, a, 'version', 'pass "v0.30.2" or a parsed version.');
  ensure(versionLike, b, 'version', 'pass "v0.30.2" or a parsed version.');
  const x = typeof a === 'string' ? parseDokployVersion(a) : a;
  const y = typeof b === 'string' ? parseDokployVersion(b) : b;
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

export function isAtLeast(version: DokployVersion, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

/**
 * The version where each version-dependent behaviour starts (see the README table). From the
 * fidelity audit of Dokploy's source (shared/reference/dokploy-fidelity.md §1 and §5).
 */
export const DOKPLOY_FEATURES = {
  /** `x-api-key` API keys. */
  apiKeys: '0.19.0',
  /** `compose.processTemplate` and `compose.import`. */
  templateImport: '0.20.0',
  /** TOML templates with `${jwt:secret:payload}` and `${timestamps:…}` (before: `${jwt:…}` is random hex). */
  templateJwtPayload: '0.21.8',
  /** `domain.validateDomain`. */
  validateDomain: '0.22.0',
  /** Environments: `environmentId` instead of `projectId`; `project.create` returns `{project, environment}`. */
  environments: '0.25.0',
  /** `${jwt:secret:payload}` trims the payload, so template keys carry `role`. */
  templateJwtTrim: '0.25.6',
  /** `compose.deploy` answers `{success, message}` (empty before). */
  deployResponseObject: '0.25.7',
  /** `compose.deploy` answer adds `composeId`. */
  deployResponseComposeId: '0.26.4',
  /** `environment.remove` refuses an environment that still has services (before: orphans them). */
  environmentRemoveGuard: '0.28.0',
  /** `project.search`. */
  projectSearch: '0.28.3',
  /** Role permissions (`service:create`, `envVars:write`, …) instead of member flags. */
  rolePermissions: '0.28.7',
  /** `compose.readLogs`. */
  composeReadLogs: '0.29.0',
  /** `compose.saveEnvironment` (before: `compose.update {env}`). */
  composeSaveEnvironment: '0.29.0',
  /** Generated domains use sslip.io (traefik.me before). */
  sslipDomains: '0.29.3',
  /** `deployment.readLogs`. */
  deploymentReadLogs: '0.29.5',
  /** Host names must be RFC 1123 (no underscores); the deploy queue lives in memory (a restart drops it). */
  hostnameValidation: '0.29.9',
  /** Compose `env` encrypted at rest (returned decrypted, or as ciphertext after a secret change). */
  envEncryptedAtRest: '0.29.12',
  /** `compose.create` accepts `sourceType`. */
  composeCreateSourceType: '0.30.0',
  /** `createEnvFile` on `compose.update` / `compose.saveEnvironment`. */
  createEnvFile: '0.30.0',
} as const;

export type DokployFeature = keyof typeof DOKPLOY_FEATURES;

export function hasFeature(version: DokployVersion, feature: DokployFeature): boolean {
  return isAtLeast(version, DOKPLOY_FEATURES[feature]);
}

/** Known Dokploy bugs that make valid API keys fail with 401. */
export interface KnownAuthIssue {
  readonly url: string;
  readonly summary: string;
  /** Applies to these versions (inclusive); open-ended when unset. */
  readonly from?: string;
  readonly to?: string;
}

export const KNOWN_AUTH_ISSUES: readonly KnownAuthIssue[] = [
  {
    url: 'https://github.com/Dokploy/dokploy/issues/1757',
    summary: 'valid keys sometimes get 401 (open since 2025-04)',
    from: '0.19.0',
  },
  {
    url: 'https://github.com/Dokploy/dokploy/issues/4024',
    summary:
      'v0.28.7: key generation failed ("configId" missing from the apikey schema), so the key in use may never have been stored; upgrade past v0.28.7 and recreate it',
    from: '0.28.7',
    to: '0.28.7',
  },
  {
    url: 'https://github.com/Dokploy/dokploy/issues/5219',
    summary: 'fresh v0.30.2 installs answered 401 for every key, real or fake',
    from: '0.30.2',
    to: '0.30.2',
  },
];

/** The known 401 bugs that apply to `version` (all of them when the version is unknown). */
export function knownAuthIssuesFor(version: DokployVersion | undefined): KnownAuthIssue[] {
  if (!version) return [...KNOWN_AUTH_ISSUES];
  ensure(versionObject, version, 'version', 'pass parseDokployVersion(...) or undefined.');
  return KNOWN_AUTH_ISSUES.filter(
    (i) =>
      (!i.from || isAtLeast(version, i.from)) && (!i.to || compareVersions(version, i.to) <= 0),
  );
}
