import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JWK, SignJWT } from 'jose';
import { parseEnvText } from '../src/index.js';

/** The services' clock in every test: before the demo keys' exp (2027-01-09). */
export const NOW = Date.parse('2026-12-01T00:00:00Z');
export const now = () => NOW;
const sec = Math.floor(NOW / 1000);

export const SECRET = 'gateway-test-jwt-secret-0123456789abcdef';

export function sign(
  payload: Record<string, unknown>,
  secret = SECRET,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header } as { alg: string })
    .sign(new TextEncoder().encode(secret));
}

export const claims = (role?: string, extra: Record<string, unknown> = {}) => ({
  ...(role === undefined ? {} : { role }),
  iss: 'supabase',
  iat: sec - 60,
  exp: sec + 5 * 365 * 24 * 3600,
  ...extra,
});

export interface KeySet {
  anon: string;
  service: string;
  env: Record<string, string>;
}

/** The env a compose hands the services: keys signed with JWT_SECRET, as generate-keys.sh does. */
export async function goodKeys(extra: Record<string, string> = {}): Promise<KeySet> {
  const anon = await sign(claims('anon'));
  const service = await sign(claims('service_role'));
  return { anon, service, env: envWith(anon, service, extra) };
}

export function envWith(
  anon: string,
  service: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    JWT_SECRET: SECRET,
    ANON_KEY: anon,
    SERVICE_ROLE_KEY: service,
    SITE_URL: 'http://localhost:3000',
    API_EXTERNAL_URL: 'http://127.0.0.1:8000',
    DASHBOARD_USERNAME: 'supabase',
    DASHBOARD_PASSWORD: 'dashboard-password-for-tests',
    ENABLE_EMAIL_SIGNUP: 'true',
    ENABLE_PHONE_SIGNUP: 'true',
    ENABLE_PHONE_AUTOCONFIRM: 'true',
    ENABLE_EMAIL_AUTOCONFIRM: 'false',
    DISABLE_SIGNUP: 'false',
    ENABLE_ANONYMOUS_USERS: 'false',
    PGRST_DB_SCHEMAS: 'public,storage,graphql_public',
    ...extra,
  };
}

// The public demo secret and keys of supabase/supabase docker/.env.example, read from the shared
// reference copy rather than written out here, so no key literal sits in the repository.
const demoEnv = parseEnvText(
  readFileSync(
    fileURLToPath(
      new URL('../../../../shared/reference/supabase-selfhost/env.example', import.meta.url),
    ),
    'utf8',
  ),
);
export const DEMO = {
  secret: demoEnv.JWT_SECRET as string,
  anon: demoEnv.ANON_KEY as string,
  service: demoEnv.SERVICE_ROLE_KEY as string,
};

/** Dokploy < 0.25.6 with the current template: `{iat, exp: 2030-01-01, iss: "dokploy"}` (§2.4). */
export const dokployRoleless = (iat: number) => sign({ iat, exp: 1893456000, iss: 'dokploy' });

/** fetch with the two headers a post-deploy check sends. */
export function withKey(key: string | undefined, bearer: string | undefined = key): RequestInit {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers.apikey = key;
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  return { headers };
}

export async function call(
  base: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The paths of a PostgREST OpenAPI document. */
export const pathsOf = (json: unknown) =>
  Object.keys((json as { paths: Record<string, unknown> }).paths).sort();

export type { JWK };
