/** Compose services of the self-hosted stack (upstream and the Dokploy template), plus overlays. */
export type SupabaseServiceName =
  | 'studio'
  | 'kong'
  | 'auth'
  | 'rest'
  | 'realtime'
  | 'storage'
  | 'imgproxy'
  | 'meta'
  | 'functions'
  | 'analytics'
  | 'db'
  | 'vector'
  | 'supavisor'
  | 'minio'
  | 'proxy';

export type EnvGroup =
  | 'secrets'
  | 'keys'
  | 'urls'
  | 'database'
  | 'pooler'
  | 'gateway'
  | 'studio'
  | 'rest'
  | 'auth'
  | 'mailer'
  | 'smtp'
  | 'phone'
  | 'oauth'
  | 'sms'
  | 'mfa'
  | 'storage'
  | 'imgproxy'
  | 'functions'
  | 'analytics'
  | 'overlay';

/**
 * Where a variable comes from: upstream `docker/.env.example` (commented-out lines included),
 * the Dokploy template's `template.toml` env, the Dokploy template's `docker-compose.yml` (read
 * there, often with a `:-` fallback), or the upstream compose and its key scripts.
 */
export type EnvSourceFile = 'env.example' | 'dokploy-template' | 'dokploy-compose' | 'upstream';

export type ConstraintKind =
  | 'secret'
  | 'jwt'
  | 'json'
  | 'url'
  | 'url-list'
  | 'host'
  | 'port'
  | 'integer'
  | 'boolean'
  | 'email'
  | 'identifier'
  | 'path'
  | 'list'
  | 'text';

export interface EnvConstraint {
  readonly kind: ConstraintKind;
  /** The rule in words, for messages and the README. */
  readonly rule: string;
  /** Bounds of integers, or the minimum length of secrets. */
  readonly min?: number;
  readonly max?: number;
}

export interface EnvVariableSpec {
  readonly name: string;
  readonly group: EnvGroup;
  /** Compose services whose environment reads the variable (empty: declared, read by none). */
  readonly services: readonly SupabaseServiceName[];
  /** A service breaks when it is missing or empty (checked only when one of `services` runs). */
  readonly required: boolean;
  /** Upstream's `.env.example` value, or the compose fallback when upstream has none. */
  readonly default?: string;
  /** The Dokploy template's value when it differs (template helpers shown as written). */
  readonly dokployDefault?: string;
  readonly constraint: EnvConstraint;
  /** Never shown: masked in diffs, findings and logs. */
  readonly secret: boolean;
  readonly sources: readonly EnvSourceFile[];
  readonly description: string;
}
