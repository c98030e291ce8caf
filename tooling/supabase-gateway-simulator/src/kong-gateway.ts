import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BootState, Consumer } from './boot-state.js';
import { handleGoTrue } from './gotrue.js';
import { type KongProfile, matchRoute, type Upstream, upstreamPath } from './kong-profile.js';
import { handlePostgrest } from './postgrest.js';
import type { ServiceContext } from './service-context.js';
import { notSimulated, type ServiceRequest, type ServiceResponse } from './service-http.js';
import { handleStorage } from './storage.js';

/** A stopped or broken upstream container, as Kong meets it. */
export type UpstreamFault = 'unresolvable' | 'refused' | 'timeout';

export interface GatewayFaults {
  auth?: UpstreamFault;
  rest?: UpstreamFault;
  storage?: UpstreamFault;
  /** The gateway itself: nothing listens on its port (connection refused). */
  gateway?: 'refused';
}

/** One request as the gateway saw it. It never holds a key, a token or a password. */
export interface GatewayRequestRecord {
  method: string;
  /** The path without the query string (which may carry ?apikey=). */
  path: string;
  /** The kong.yml route name, e.g. `rest-v1-all`. */
  route: string | null;
  upstream: Upstream | null;
  /** Which consumer the apikey matched, as key-auth decided. */
  apikey: 'absent' | 'duplicate' | 'unknown' | Consumer;
  authorization: 'absent' | 'bearer' | 'other';
  /** The role the upstream acted as, when it got that far. */
  role: string | null;
  status: number;
}

export interface GatewayRuntime {
  profile: KongProfile;
  boot: BootState;
  ctx: ServiceContext;
  faults: GatewayFaults;
}

interface Outcome {
  response: ServiceResponse;
  record: Omit<GatewayRequestRecord, 'method' | 'path' | 'status'>;
}

// kong/tools/http.lua ERROR_TEMPLATES (JSON) and error_handlers.lua BODIES
function kongError(
  profile: KongProfile,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ServiceResponse {
  const requestId = randomBytes(16).toString('hex');
  const body = profile.requestIdInBody
    ? `{\n  "message":"${message}",\n  "request_id":"${requestId}"\n}`
    : `{\n  "message":"${message}"\n}`;
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(profile.requestIdInBody ? { 'x-kong-request-id': requestId } : {}),
      ...headers,
    },
    body,
  };
}

const UPSTREAM_FAILURE: Record<UpstreamFault, [number, string]> = {
  unresolvable: [503, 'name resolution failed'],
  refused: [502, 'An invalid response was received from the upstream server'],
  timeout: [504, 'The upstream server is timing out'],
};

function single(req: IncomingMessage, name: string): string | string[] | undefined {
  const values = req.headersDistinct[name];
  if (!values || values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

function keyFrom(req: IncomingMessage, query: URLSearchParams): string | string[] | undefined {
  const header = single(req, 'apikey');
  if (header !== undefined) return header;
  const values = query.getAll('apikey');
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

function basicAuthorized(req: IncomingMessage, dashboard: { username: string; password: string }) {
  for (const name of ['proxy-authorization', 'authorization']) {
    const value = single(req, name);
    if (typeof value !== 'string') continue;
    const match = /^\s*basic\s+(\S+)\s*$/i.exec(value);
    if (!match) continue;
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) continue;
    const [user, pass] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return dashboard.username !== '' && user === dashboard.username && pass === dashboard.password;
  }
  return false;
}

/** The request-transformer Lua of kong-entrypoint.sh (LUA_AUTH_EXPR). */
function rewrittenAuthorization(
  authorization: string | undefined,
  apikey: string | undefined,
  ctx: ServiceContext,
): string {
  if (authorization !== undefined && authorization.slice(0, 10) !== 'Bearer sb_')
    return authorization;
  const env = ctx.env;
  if (env.secretKey !== '' && env.publishableKey !== '') {
    if (apikey === env.secretKey) return `Bearer ${env.serviceKeyAsymmetric}`;
    if (apikey === env.publishableKey) return `Bearer ${env.anonKeyAsymmetric}`;
  }
  // a nil result is rendered as an empty header
  return apikey ?? '';
}

async function callUpstream(
  upstream: Upstream,
  request: ServiceRequest,
  ctx: ServiceContext,
): Promise<ServiceResponse> {
  if (upstream === 'auth') return handleGoTrue(request, ctx);
  if (upstream === 'rest') return handlePostgrest(request, ctx);
  if (upstream === 'storage') return handleStorage(request, ctx);
  return notSimulated();
}

/** Kong's access phase for one request, then the upstream it routes to. */
export async function handleGatewayRequest(
  req: IncomingMessage,
  runtime: GatewayRuntime,
): Promise<Outcome> {
  const { profile, ctx } = runtime;
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const authorization = single(req, 'authorization');
  const record: Outcome['record'] = {
    route: null,
    upstream: null,
    apikey: 'absent',
    authorization:
      authorization === undefined
        ? 'absent'
        : typeof authorization === 'string' && /^bearer\s/i.test(authorization)
          ? 'bearer'
          : 'other',
    role: null,
  };
  const route = matchRoute(profile, url.pathname);
  if (!route)
    return { response: kongError(profile, 404, 'no Route matched with those values'), record };
  record.route = route.name;
  record.upstream = route.upstream;
  if (route.terminate) {
    return {
      response: {
        status: route.terminate.status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ message: route.terminate.message }),
      },
      record,
    };
  }
  if (route.basicAuth && !basicAuthorized(req, ctx.env.dashboard)) {
    const sent = single(req, 'authorization') ?? single(req, 'proxy-authorization');
    const message = sent === undefined ? 'Unauthorized' : profile.basicInvalidMessage;
    const challenge: Record<string, string> =
      sent === undefined || profile.version !== '2.8.1'
        ? { 'www-authenticate': profile.basicChallenge }
        : {};
    return { response: kongError(profile, 401, message, challenge), record };
  }

  const rawKey = keyFrom(req, url.searchParams);
  if (route.keyAuth) {
    const challenge = { 'www-authenticate': profile.keyChallenge };
    if (Array.isArray(rawKey)) {
      record.apikey = 'duplicate';
      return {
        response: kongError(
          profile,
          401,
          'Duplicate API key found',
          profile.keyChallengeOnInvalid ? challenge : {},
        ),
        record,
      };
    }
    if (rawKey === undefined || rawKey === '') {
      return {
        response: kongError(profile, 401, 'No API key found in request', challenge),
        record,
      };
    }
    const consumer = runtime.boot.credentials?.get(rawKey);
    if (!consumer) {
      record.apikey = 'unknown';
      return {
        response: kongError(
          profile,
          401,
          profile.invalidKeyMessage,
          profile.keyChallengeOnInvalid ? challenge : {},
        ),
        record,
      };
    }
    record.apikey = consumer;
    const group = consumer === 'service_role' ? 'admin' : 'anon';
    if (route.acl && !route.acl.includes(group)) {
      return { response: kongError(profile, 403, 'You cannot consume this service'), record };
    }
  } else if (typeof rawKey === 'string') {
    record.apikey = runtime.boot.credentials?.get(rawKey) ?? 'unknown';
  }

  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  if (route.rewriteAuthorization) {
    const headerKey = single(req, 'apikey');
    const value = rewrittenAuthorization(
      typeof authorization === 'string' ? authorization : undefined,
      typeof headerKey === 'string' ? headerKey : undefined,
      ctx,
    );
    // storage's post-function removes an empty Authorization; elsewhere it reaches the upstream
    headers.authorization = value === '' && route.upstream === 'storage' ? undefined : value;
  }

  const upstream = route.upstream;
  const fault =
    upstream === 'auth' || upstream === 'rest' || upstream === 'storage'
      ? (runtime.faults[upstream] ?? (runtime.boot.down.has(upstream) ? 'unresolvable' : undefined))
      : undefined;
  if (fault) {
    const [status, message] = UPSTREAM_FAILURE[fault];
    return { response: kongError(profile, status, message), record };
  }
  const response = await callUpstream(
    upstream,
    {
      method: req.method ?? 'GET',
      path: upstreamPath(route, url.pathname),
      query: url.searchParams,
      headers,
    },
    ctx,
  );
  record.role = response.role ?? null;
  return {
    response: {
      ...response,
      headers: {
        via: profile.version === '2.8.1' ? 'kong/2.8.1' : '1.1 kong/3.9.1',
        ...response.headers,
      },
    },
    record,
  };
}

/** Kong's own answer to a failure inside the simulator (a bug here, not a simulated fault). */
export function internalError(profile: KongProfile): ServiceResponse {
  return kongError(profile, 500, 'An unexpected error occurred');
}
