import type { SourceFailure } from './data-source.js';
import { openApiDocument } from './openapi.js';
import type { ServiceContext } from './service-context.js';
import { notSimulated, type ServiceRequest, type ServiceResponse } from './service-http.js';
import {
  authenticatePostgrest,
  type PgrstError,
  type PostgrestSecret,
  parsePostgrestSecret,
} from './verify-postgrest.js';

// PostgREST v14.12: the root path answers the OpenAPI document of the schema in Accept-Profile
// (default: the first of PGRST_DB_SCHEMAS) as the request's role sees it (openapi-mode
// follow-privileges, the default the Supabase compose keeps).

/** What PGRST_JWT_SECRET is in this compose: JWT_JWKS where wired, else JWT_SECRET. */
export function restSecret(ctx: Pick<ServiceContext, 'env' | 'jwksServices'>): PostgrestSecret {
  const jwks = ctx.env.vars.JWT_JWKS ?? '';
  return parsePostgrestSecret(
    ctx.jwksServices.has('rest') && jwks !== '' ? jwks : ctx.env.jwtSecret,
  );
}

export function pgrstResponse(error: PgrstError, role?: string): ServiceResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'proxy-status': `PostgREST; error=${error.code}`,
  };
  if (error.challenge) headers['www-authenticate'] = error.challenge;
  return {
    status: error.status,
    headers,
    body: JSON.stringify({
      code: error.code,
      details: error.details,
      hint: error.hint,
      message: error.message,
    }),
    ...(role === undefined ? {} : { role }),
  };
}

function sourceError(failure: SourceFailure): PgrstError {
  switch (failure.kind) {
    case 'role-missing':
      // 22023 on a role name: "role in jwt does not exist" is a 401 (Error.hs pgErrorStatus)
      return {
        status: 401,
        code: '22023',
        message: failure.message,
        details: null,
        hint: null,
        challenge: 'Bearer',
      };
    case 'role-denied':
      return { status: 403, code: '42501', message: failure.message, details: null, hint: null };
    case 'unavailable':
      return {
        status: 503,
        code: 'PGRST002',
        message: 'Could not query the database for the schema cache. Retrying.',
        details: null,
        hint: null,
      };
    default:
      return {
        status: 500,
        code: failure.code,
        message: failure.message,
        details: null,
        hint: null,
      };
  }
}

export async function handlePostgrest(
  request: ServiceRequest,
  ctx: ServiceContext,
): Promise<ServiceResponse> {
  if (request.path !== '/' || request.method !== 'GET') return notSimulated();
  const auth = await authenticatePostgrest(
    request.headers.authorization,
    restSecret(ctx),
    'anon',
    ctx.now(),
  );
  if (!auth.ok) return pgrstResponse(auth.error);
  const schemas = ctx.env.restSchemas;
  const schema = request.headers['accept-profile'] ?? (schemas[0] as string);
  if (!schemas.includes(schema)) {
    return pgrstResponse(
      {
        status: 406,
        code: 'PGRST106',
        message: `Invalid schema: ${schema}`,
        details: null,
        hint: `Only the following schemas are exposed: ${schemas.join(', ')}`,
      },
      auth.role,
    );
  }
  const catalog = await ctx.data.restCatalog(schema, auth.role, auth.claims);
  if (!catalog.ok) return pgrstResponse(sourceError(catalog.failure), auth.role);
  return {
    status: 200,
    headers: { 'content-type': 'application/openapi+json; charset=utf-8' },
    body: JSON.stringify(openApiDocument(catalog.value, ctx.versions.postgrest)),
    role: auth.role,
  };
}
