import { randomUUID } from 'node:crypto';
import type { ServiceContext } from './service-context.js';
import {
  jsonResponse,
  notSimulated,
  type ServiceRequest,
  type ServiceResponse,
} from './service-http.js';
import { verifyGoTrueJwt } from './verify-gotrue.js';

// GoTrue (supabase/auth v2.189.0): api.go routes, HealthCheck, settings.go, admin.go adminUsers,
// middleware.go requireAdminCredentials, auth.go requireAdmin/extractBearerToken, errors.go
// HandleResponseError (the 2024-01-01 API version switches the error body shape).

const BEARER = /^bearer (\S+)$/i;
const API_VERSION = 'x-supabase-api-version';
const ADMIN_ROLES = ['service_role'];
const DEFAULT_PER_PAGE = 50;

function newErrorShape(request: ServiceRequest): boolean {
  const header = request.headers[API_VERSION];
  if (!header || !/^\d{4}-\d{2}-\d{2}$/.test(header)) return false;
  const date = Date.parse(`${header}T00:00:00Z`);
  return Number.isFinite(date) && date >= Date.parse('2024-01-01T00:00:00Z');
}

export function goTrueError(
  request: ServiceRequest,
  status: number,
  errorCode: string,
  message: string,
): ServiceResponse {
  const headers: Record<string, string> = { 'x-sb-error-code': errorCode };
  if (newErrorShape(request)) {
    headers[API_VERSION] = '2024-01-01';
    return jsonResponse(status, { code: errorCode, message }, headers);
  }
  const body: Record<string, unknown> = { code: status, error_code: errorCode, msg: message };
  if (status >= 500) body.error_id = randomUUID();
  return jsonResponse(status, body, headers);
}

function settings(ctx: ServiceContext): ServiceResponse {
  const a = ctx.env.auth;
  const providers = [
    'apple',
    'azure',
    'bitbucket',
    'discord',
    'facebook',
    'snapchat',
    'figma',
    'fly',
    'github',
    'gitlab',
    'google',
    'keycloak',
    'kakao',
    'linkedin',
    'linkedin_oidc',
    'notion',
    'spotify',
    'slack',
    'slack_oidc',
    'workos',
    'twitch',
    'twitter',
  ];
  const external: Record<string, boolean> = { anonymous_users: a.anonymousUsers };
  for (const p of providers) external[p] = false;
  external.email = a.emailEnabled;
  external.phone = a.phoneEnabled;
  external.zoom = false;
  return jsonResponse(200, {
    external,
    disable_signup: a.disableSignup,
    mailer_autoconfirm: a.mailerAutoconfirm,
    phone_autoconfirm: a.phoneAutoconfirm,
    sms_provider: '',
    saml_enabled: false,
    passkeys_enabled: false,
  });
}

async function adminUsers(request: ServiceRequest, ctx: ServiceContext): Promise<ServiceResponse> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match) {
    return goTrueError(
      request,
      401,
      'no_authorization',
      'This endpoint requires a valid Bearer token',
    );
  }
  const verdict = await verifyGoTrueJwt(
    match[1] as string,
    { secret: ctx.env.jwtSecret, keys: ctx.env.jwtKeys.ok ? ctx.env.jwtKeys.keys : [] },
    ctx.now(),
  );
  if (!verdict.ok) return goTrueError(request, 403, 'bad_jwt', verdict.message);
  const role = typeof verdict.claims.role === 'string' ? verdict.claims.role : '';
  if (!ADMIN_ROLES.includes(role)) {
    return { ...goTrueError(request, 403, 'not_admin', 'User not allowed'), role };
  }
  const page = request.query.get('page') || '1';
  const perPage = request.query.get('per_page') || String(DEFAULT_PER_PAGE);
  for (const value of [page, perPage]) {
    if (!/^\d+$/.test(value)) {
      return goTrueError(
        request,
        400,
        'validation_failed',
        `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`,
      );
    }
  }
  const aud = request.headers['x-jwt-aud'] || 'authenticated';
  const result = await ctx.data.users(aud, Number(page), Number(perPage));
  if (!result.ok) {
    return {
      ...goTrueError(request, 500, 'unexpected_failure', 'Database error finding users'),
      role,
    };
  }
  const { users, total } = result.value;
  const per = Number(perPage);
  const totalPages = per > 0 ? Math.ceil(total / per) : 0;
  const link = (n: number) => {
    const q = new URLSearchParams(request.query);
    q.set('page', String(n));
    const sorted = new URLSearchParams([...q.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return `<${request.path}?${sorted.toString()}>`;
  };
  const next = totalPages > Number(page) ? `${link(Number(page) + 1)}; rel="next", ` : '';
  return {
    ...jsonResponse(
      200,
      { users, aud },
      { link: `${next}${link(totalPages)}; rel="last"`, 'x-total-count': String(total) },
    ),
    role,
  };
}

export async function handleGoTrue(
  request: ServiceRequest,
  ctx: ServiceContext,
): Promise<ServiceResponse> {
  // chi's Route("/users") also matches the trailing slash; /health and /settings are exact
  const route = request.path === '/admin/users/' ? '/admin/users' : request.path;
  if (route === '/admin/users') {
    return request.method === 'GET' ? adminUsers(request, ctx) : notSimulated();
  }
  if (route !== '/health' && route !== '/settings') return notSimulated();
  // chi answers a method it has no handler for with an empty 405
  if (request.method !== 'GET') return { status: 405, headers: {}, body: '' };
  if (route === '/health') {
    return jsonResponse(200, {
      version: ctx.versions.gotrue,
      name: 'GoTrue',
      description: 'GoTrue is a user registration and authentication API',
    });
  }
  return settings(ctx);
}
