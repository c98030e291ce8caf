import type { JWK } from 'jose';
import { parseEnvText } from './env-text.js';

/** Which services verify asymmetric (JWKS) tokens, as the compose wires them. */
export type JwksService = 'auth' | 'rest' | 'storage';

/** A JSON env value that must parse (JWT_KEYS, JWT_JWKS): the keys, or why it does not. */
export type KeyList = { ok: true; keys: JWK[] } | { ok: false; reason: string };

/** What Kong, GoTrue, PostgREST and Storage read from the compose env, verbatim. */
export interface GatewayEnv {
  /** The env as the containers see it after compose's .env parsing. */
  readonly vars: Readonly<Record<string, string>>;
  /** `${ANON_KEY}` etc.: compose turns an unset variable into "". */
  anonKey: string;
  serviceKey: string;
  publishableKey: string;
  secretKey: string;
  anonKeyAsymmetric: string;
  serviceKeyAsymmetric: string;
  jwtSecret: string;
  /** GOTRUE_JWT_KEYS: `${JWT_KEYS:-[]}` (a JSON array of JWKs). */
  jwtKeys: KeyList;
  /** JWT_JWKS (`{"keys":[…]}`), read by PostgREST/Storage only where the compose wires it. */
  jwtJwks: KeyList | undefined;
  siteUrl: string;
  apiExternalUrl: string;
  dashboard: { username: string; password: string };
  auth: {
    disableSignup: boolean;
    mailerAutoconfirm: boolean;
    phoneAutoconfirm: boolean;
    emailEnabled: boolean;
    phoneEnabled: boolean;
    anonymousUsers: boolean;
  };
  /** PGRST_DB_SCHEMAS, comma separated; the first one is the default profile. */
  restSchemas: string[];
}

/** Go's strconv.ParseBool; what it refuses counts as false here (see README). */
function goBool(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

function keyList(text: string, shape: 'array' | 'set'): KeyList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const keys = shape === 'array' ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null)) {
    return {
      ok: false,
      reason: shape === 'array' ? 'not a JSON array of JWKs' : 'not a JWK set {"keys":[…]}',
    };
  }
  return { ok: true, keys: keys as JWK[] };
}

/** Reads the compose env (a record, or .env text parsed as compose parses it). */
export function readGatewayEnv(env: string | Record<string, string>): GatewayEnv {
  const vars = Object.freeze(typeof env === 'string' ? parseEnvText(env) : { ...env });
  const get = (name: string): string => vars[name] ?? '';
  const jwtKeysText = get('JWT_KEYS') === '' ? '[]' : get('JWT_KEYS');
  const schemas = get('PGRST_DB_SCHEMAS')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    vars,
    anonKey: get('ANON_KEY'),
    serviceKey: get('SERVICE_ROLE_KEY'),
    publishableKey: get('SUPABASE_PUBLISHABLE_KEY'),
    secretKey: get('SUPABASE_SECRET_KEY'),
    anonKeyAsymmetric: get('ANON_KEY_ASYMMETRIC'),
    serviceKeyAsymmetric: get('SERVICE_ROLE_KEY_ASYMMETRIC'),
    jwtSecret: get('JWT_SECRET'),
    jwtKeys: keyList(jwtKeysText, 'array'),
    jwtJwks: get('JWT_JWKS') === '' ? undefined : keyList(get('JWT_JWKS'), 'set'),
    siteUrl: get('SITE_URL'),
    apiExternalUrl: get('API_EXTERNAL_URL'),
    dashboard: { username: get('DASHBOARD_USERNAME'), password: get('DASHBOARD_PASSWORD') },
    auth: {
      disableSignup: goBool(vars.DISABLE_SIGNUP),
      mailerAutoconfirm: goBool(vars.ENABLE_EMAIL_AUTOCONFIRM),
      phoneAutoconfirm: goBool(vars.ENABLE_PHONE_AUTOCONFIRM),
      emailEnabled: goBool(vars.ENABLE_EMAIL_SIGNUP),
      phoneEnabled: goBool(vars.ENABLE_PHONE_SIGNUP),
      anonymousUsers: goBool(vars.ENABLE_ANONYMOUS_USERS),
    },
    restSchemas: schemas.length > 0 ? schemas : ['public'],
  };
}
