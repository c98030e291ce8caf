// What differs between the two Kong setups a self-hosted Supabase runs: Kong 3.9.1 with the
// mid-2026 kong.yml (Dokploy's template, upstream before Envoy) and Kong 2.8.1 with the older
// kong.yml. Sources: Kong/kong at the tags (plugins/key-auth/handler.lua, basic-auth/access.lua,
// tools/http.lua error templates, db/schema/others/declarative_config.lua) and
// supabase/supabase docker/volumes/api/kong.yml + kong-entrypoint.sh.

export type KongVersion = '3.9.1' | '2.8.1';

/** Where a matched route sends the request once Kong's plugins let it through. */
export type Upstream =
  | 'auth'
  | 'rest'
  | 'storage'
  | 'graphql'
  | 'realtime'
  | 'functions'
  | 'analytics'
  | 'meta'
  | 'studio';

export interface KongRoute {
  /** The route name in kong.yml, e.g. `rest-v1-all`. */
  name: string;
  /** Kong prefix path; the longest matching prefix wins. */
  prefix: string;
  upstream: Upstream;
  /** The path the upstream sees instead of the stripped prefix (open auth routes). */
  upstreamPath?: string;
  keyAuth?: boolean;
  /** ACL groups allowed (consumer anon → group anon, service_role → group admin). */
  acl?: ('anon' | 'admin')[];
  /** The request-transformer that sets Authorization from the apikey (3.9 kong.yml). */
  rewriteAuthorization?: boolean;
  basicAuth?: boolean;
  /** request-termination. */
  terminate?: { status: number; message: string };
}

export interface KongProfile {
  version: KongVersion;
  /** key-auth: a key no consumer has. */
  invalidKeyMessage: string;
  /** WWW-Authenticate on key-auth 401s: on both (3.x) or only on "No API key" (2.8). */
  keyChallenge: string;
  keyChallengeOnInvalid: boolean;
  basicChallenge: string;
  basicInvalidMessage: string;
  /** Kong 3.x error bodies carry `request_id`. */
  requestIdInBody: boolean;
  /** The opaque sb_publishable_/sb_secret_ credentials exist in this kong.yml. */
  opaqueKeys: boolean;
  /** DB-less config load rejects duplicate unique fields (Kong ≥ 3.4, PR #11199). */
  uniqueCredentialKeys: boolean;
  routes: KongRoute[];
}

const KEY_ACL = { keyAuth: true, acl: ['admin', 'anon'] as ('anon' | 'admin')[] };

const open = (name: string, prefix: string, upstreamPath: string): KongRoute => ({
  name,
  prefix,
  upstream: 'auth',
  upstreamPath,
});

const ROUTES_39: KongRoute[] = [
  open('auth-v1-open', '/auth/v1/verify', '/verify'),
  open('auth-v1-open-callback', '/auth/v1/callback', '/callback'),
  open('auth-v1-open-authorize', '/auth/v1/authorize', '/authorize'),
  open('auth-v1-open-jwks', '/auth/v1/.well-known/jwks.json', '/.well-known/jwks.json'),
  open('auth-v1-open-sso-acs', '/sso/saml/acs', '/sso/saml/acs'),
  open('auth-v1-open-sso-metadata', '/sso/saml/metadata', '/sso/saml/metadata'),
  {
    name: 'auth-v1-all',
    prefix: '/auth/v1/',
    upstream: 'auth',
    ...KEY_ACL,
    rewriteAuthorization: true,
  },
  {
    name: 'rest-v1-all',
    prefix: '/rest/v1/',
    upstream: 'rest',
    ...KEY_ACL,
    rewriteAuthorization: true,
  },
  {
    name: 'graphql-v1-all',
    prefix: '/graphql/v1',
    upstream: 'graphql',
    ...KEY_ACL,
    rewriteAuthorization: true,
  },
  { name: 'realtime-v1-ws', prefix: '/realtime/v1/', upstream: 'realtime', ...KEY_ACL },
  {
    name: 'realtime-v1-rest-openapi',
    prefix: '/realtime/v1/api/openapi',
    upstream: 'realtime',
    terminate: { status: 403, message: 'Access is forbidden.' },
  },
  {
    name: 'realtime-v1-rest-tenants',
    prefix: '/realtime/v1/api/tenants',
    upstream: 'realtime',
    terminate: { status: 403, message: 'Access is forbidden.' },
  },
  {
    name: 'realtime-v1-rest',
    prefix: '/realtime/v1/api',
    upstream: 'realtime',
    ...KEY_ACL,
    rewriteAuthorization: true,
  },
  {
    name: 'storage-v1-all',
    prefix: '/storage/v1/',
    upstream: 'storage',
    rewriteAuthorization: true,
  },
  { name: 'functions-v1-all', prefix: '/functions/v1/', upstream: 'functions' },
  {
    name: 'well-known-oauth',
    prefix: '/.well-known/oauth-authorization-server',
    upstream: 'auth',
    upstreamPath: '/.well-known/oauth-authorization-server',
  },
  { name: 'meta-all', prefix: '/pg/', upstream: 'meta', keyAuth: true, acl: ['admin'] },
  {
    name: 'mcp-blocker-route',
    prefix: '/api/mcp',
    upstream: 'studio',
    terminate: { status: 403, message: 'Access is forbidden.' },
  },
  {
    name: 'mcp',
    prefix: '/mcp',
    upstream: 'studio',
    terminate: { status: 403, message: 'Access is forbidden.' },
  },
  { name: 'dashboard-all', prefix: '/', upstream: 'studio', basicAuth: true },
];

const ROUTES_28: KongRoute[] = [
  open('auth-v1-open', '/auth/v1/verify', '/verify'),
  open('auth-v1-open-callback', '/auth/v1/callback', '/callback'),
  open('auth-v1-open-authorize', '/auth/v1/authorize', '/authorize'),
  { name: 'auth-v1-all', prefix: '/auth/v1/', upstream: 'auth', ...KEY_ACL },
  { name: 'rest-v1-all', prefix: '/rest/v1/', upstream: 'rest', ...KEY_ACL },
  { name: 'graphql-v1-all', prefix: '/graphql/v1', upstream: 'graphql', ...KEY_ACL },
  { name: 'realtime-v1-ws', prefix: '/realtime/v1/', upstream: 'realtime', ...KEY_ACL },
  { name: 'realtime-v1-rest', prefix: '/realtime/v1/api', upstream: 'realtime', ...KEY_ACL },
  { name: 'storage-v1-all', prefix: '/storage/v1/', upstream: 'storage' },
  { name: 'functions-v1-all', prefix: '/functions/v1/', upstream: 'functions' },
  { name: 'analytics-v1-all', prefix: '/analytics/v1/', upstream: 'analytics' },
  { name: 'meta-all', prefix: '/pg/', upstream: 'meta', keyAuth: true, acl: ['admin'] },
  { name: 'dashboard-all', prefix: '/', upstream: 'studio', basicAuth: true },
];

export const KONG_PROFILES: Record<KongVersion, KongProfile> = {
  '3.9.1': {
    version: '3.9.1',
    invalidKeyMessage: 'Unauthorized',
    keyChallenge: 'Key',
    keyChallengeOnInvalid: true,
    basicChallenge: 'Basic realm="service"',
    basicInvalidMessage: 'Unauthorized',
    requestIdInBody: true,
    opaqueKeys: true,
    uniqueCredentialKeys: true,
    routes: ROUTES_39,
  },
  '2.8.1': {
    version: '2.8.1',
    invalidKeyMessage: 'Invalid authentication credentials',
    keyChallenge: 'Key realm="kong"',
    keyChallengeOnInvalid: false,
    basicChallenge: 'Basic realm="kong"',
    basicInvalidMessage: 'Invalid authentication credentials',
    requestIdInBody: false,
    opaqueKeys: false,
    uniqueCredentialKeys: false,
    routes: ROUTES_28,
  },
};

/** Kong's prefix router: the longest prefix that the path starts with. */
export function matchRoute(profile: KongProfile, path: string): KongRoute | undefined {
  let best: KongRoute | undefined;
  for (const route of profile.routes) {
    if (path.startsWith(route.prefix) && (!best || route.prefix.length > best.prefix.length)) {
      best = route;
    }
  }
  return best;
}

/** The path the upstream sees: Kong's strip_path with the service URL's path in front. */
export function upstreamPath(route: KongRoute, path: string): string {
  const rest = path.slice(route.prefix.length);
  if (route.upstreamPath !== undefined) return route.upstreamPath + rest;
  return rest.startsWith('/') ? rest : `/${rest}`;
}
