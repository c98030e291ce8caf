import type { SourceFailure } from './data-source.js';
import type { ServiceContext } from './service-context.js';
import {
  jsonResponse,
  notSimulated,
  type ServiceRequest,
  type ServiceResponse,
} from './service-http.js';
import { verifyStorageJwt } from './verify-storage.js';

// Storage API v1.60.4: http/plugins/jwt.ts (Bearer prefix stripped, AccessDenied on a bad JWT),
// http/error-handler.ts (a renderable error without userStatusCode answers HTTP 400 carrying
// statusCode "403"), routes/bucket/getAllBuckets.ts, internal/database/connection.ts (role
// defaults to anon), storage/database/knex.ts fromDBError.

const JSON_UTF8 = 'application/json; charset=utf-8';

function storageError(
  status: number,
  statusCode: string,
  code: string,
  error: string,
  message: string,
): ServiceResponse {
  return jsonResponse(status, { statusCode, code, error, message }, {}, JSON_UTF8);
}

const accessDenied = (message: string) =>
  storageError(400, '403', 'AccessDenied', 'Unauthorized', message);

function sourceError(failure: SourceFailure): ServiceResponse {
  switch (failure.kind) {
    case 'role-denied':
      return accessDenied(failure.message);
    case 'role-missing':
      return storageError(
        500,
        '500',
        'DatabaseError',
        'DatabaseError',
        'database error, code: 22023',
      );
    case 'unavailable':
      return storageError(500, '500', 'InternalError', 'Internal', 'Internal Server Error');
    default:
      return storageError(
        500,
        '500',
        'DatabaseError',
        'DatabaseError',
        `database error, code: ${failure.code}`,
      );
  }
}

export async function handleStorage(
  request: ServiceRequest,
  ctx: ServiceContext,
): Promise<ServiceResponse> {
  if ((request.path !== '/bucket' && request.path !== '/bucket/') || request.method !== 'GET') {
    return notSimulated();
  }
  const jwt = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  const jwks = ctx.jwksServices.has('storage') && ctx.env.jwtJwks?.ok ? ctx.env.jwtJwks.keys : null;
  const verdict = await verifyStorageJwt(jwt, ctx.env.jwtSecret, jwks, ctx.now());
  if (!verdict.ok) return accessDenied(verdict.message);
  const role = verdict.payload.role ? String(verdict.payload.role) : 'anon';
  const buckets = await ctx.data.buckets(role, verdict.payload);
  if (!buckets.ok) return { ...sourceError(buckets.failure), role };
  return { ...jsonResponse(200, buckets.value, {}, JSON_UTF8), role };
}
