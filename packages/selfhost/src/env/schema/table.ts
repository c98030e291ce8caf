import { AUTH_VARIABLES } from './auth.js';
import { AUTH_PROVIDER_VARIABLES } from './auth-providers.js';
import { DATABASE_VARIABLES } from './database.js';
import { SECRET_VARIABLES } from './secrets.js';
import { SERVICE_VARIABLES } from './services.js';
import type { EnvVariableSpec, SupabaseServiceName } from './types.js';

/**
 * Every variable the upstream self-hosted compose (`docker/.env.example`, its commented-out
 * providers and its key scripts) and the Dokploy Supabase template (`template.toml` and its
 * `docker-compose.yml`) use, keyed by name.
 */
export const ENV_VARIABLES: Readonly<Record<string, EnvVariableSpec>> = Object.freeze({
  ...SECRET_VARIABLES,
  ...DATABASE_VARIABLES,
  ...AUTH_VARIABLES,
  ...AUTH_PROVIDER_VARIABLES,
  ...SERVICE_VARIABLES,
});

/** The spec of a variable, or undefined for a name neither file uses. */
export function envVariable(name: string): EnvVariableSpec | undefined {
  return Object.hasOwn(ENV_VARIABLES, name) ? ENV_VARIABLES[name] : undefined;
}

/** Whether a variable's value must never be shown (schema secrets, else a secret-looking name). */
export function isSecretVariable(name: string): boolean {
  const spec = envVariable(name);
  if (spec) return spec.secret;
  return /(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|JWT|CREDENTIAL|PRIVATE|SALT|DSN|DATABASE_URL)/i.test(
    name,
  );
}

/** Services of the Dokploy template's compose (snapshot 2026-07-22), in file order. */
export const DOKPLOY_TEMPLATE_SERVICES: readonly SupabaseServiceName[] = [
  'studio',
  'kong',
  'auth',
  'rest',
  'realtime',
  'storage',
  'imgproxy',
  'meta',
  'functions',
  'analytics',
  'db',
  'vector',
  'supavisor',
];

/** The compose services a Dokploy domain routes to for the API: kong, or api-gw in newer templates. */
export const GATEWAY_SERVICES: readonly string[] = ['kong', 'api-gw'];

/** Variables Dokploy writes into `.env` itself (before and after the compose env). */
export const DOKPLOY_INJECTED_VARIABLES: readonly string[] = [
  'APP_NAME',
  'COMPOSE_PROJECT_NAME',
  'COMPOSE_PREFIX',
  'DOCKER_CONFIG',
];
