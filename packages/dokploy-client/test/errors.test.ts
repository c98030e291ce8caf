import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDokployClient,
  DokployConflictError,
  DokployError,
  DokployForbiddenError,
  DokployHttpError,
  DokployNotFoundError,
  DokployPermissionError,
  DokployResponseError,
  DokployServerError,
  DokployUnauthorizedError,
  DokployValidationError,
} from '../src/index.js';
import { json, type SeenRequest, startLoopback } from './loopback.js';

/** Answers per procedure, as a stand-in Dokploy with scripted failures. */
const script: Record<string, (req: SeenRequest) => [number, unknown, string?]> = {
  'project.all': () => [
    409,
    { message: 'Compose with appName "x" already exists', code: 'CONFLICT' },
  ],
  'project.one': () => [
    403,
    { message: 'You are not allowed to access this project', code: 'FORBIDDEN' },
  ],
  'compose.one': () => [404, { message: 'Not found', code: 'NOT_FOUND' }],
  'compose.create': () => [
    400,
    {
      message: 'Input validation failed',
      code: 'BAD_REQUEST',
      issues: [{ message: 'Required', path: ['environmentId'] }, { message: 'Too short' }],
    },
  ],
  'user.get': () => [401, { message: 'Unauthorized' }],
  'project.create': () => [
    400,
    {
      message: 'Error creating the project: You are not allowed to access resource: project',
      code: 'BAD_REQUEST',
    },
  ],
  'compose.delete': () => [
    401,
    { message: "You don't have access to this service", code: 'UNAUTHORIZED' },
  ],
  'domain.byComposeId': () => [418, 'teapot', 'text/plain'],
  'deployment.allByCompose': () => [502, '<html>Bad gateway</html>', 'text/html'],
  'compose.loadServices': () => [200, '<html>Sign in with Cloudflare Access</html>', 'text/html'],
  'compose.getDefaultCommand': () => [200, { unexpected: true }],
  'settings.getDokployVersion': (req) => [
    200,
    JSON.stringify(req.headers['x-variant'] === 'bad' ? 'nightly' : 'v0.28.7'),
  ],
};

describe('typed errors from Dokploy error bodies', () => {
  let server: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      const procedure = new URL(req.url, 'http://x').pathname.replace('/api/', '');
      const [status, body, type] = script[procedure]?.(req) ?? [500, { message: 'unscripted' }];
      json(res, status, body, type);
    });
  });
  afterAll(() => server.stop());
  const client = () =>
    createDokployClient({
      baseUrl: server.url,
      apiKey: 'k_loopback_key_0123456789',
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });

  it('409 → DokployConflictError with the server message', async () => {
    const err = await client()
      .project.all()
      .catch((e: unknown) => e);
    expect(DokployConflictError.isInstance(err)).toBe(true);
    expect(DokployHttpError.isInstance(err)).toBe(true);
    expect(DokployError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({
      status: 409,
      dokployCode: 'CONFLICT',
      code: 'DOKPLOY_CONFLICT',
      request: { method: 'GET', procedure: 'project.all' },
    });
    expect((err as Error).message).toMatch(/already exists.*Fix:/);
  });

  it('403 → DokployForbiddenError naming the permission fix', async () => {
    const err = await client()
      .project.one({ projectId: 'p' })
      .catch((e: unknown) => e);
    expect(DokployForbiddenError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/permission/);
  });

  it('404 "Not found" hints at a missing procedure on an older Dokploy', async () => {
    const err = await client()
      .compose.one({ composeId: 'c' })
      .catch((e: unknown) => e);
    expect(DokployNotFoundError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /may not have the procedure compose\.one: upgrade Dokploy/,
    );
  });

  it('400 with issues → DokployValidationError listing them', async () => {
    const err = await client()
      .compose.create({ name: 'x', environmentId: 'e' })
      .catch((e: unknown) => e);
    // compose.create reads the version first (v0.28.7 here)
    expect(DokployValidationError.isInstance(err)).toBe(true);
    const v = err as DokployValidationError;
    expect(v.issues).toEqual([
      { message: 'Required', path: ['environmentId'] },
      { message: 'Too short' },
    ]);
    expect(v.message).toMatch(/environmentId: Required; Too short/);
    expect(v.serverMessage).toBe('Input validation failed');
  });

  it('401 explains organization metadata and the known bugs of the known version', async () => {
    const c = client();
    await c.getVersion(); // v0.28.7
    const err = await c.user.get().catch((e: unknown) => e);
    expect(DokployUnauthorizedError.isInstance(err)).toBe(true);
    const u = err as DokployUnauthorizedError;
    expect(u.serverVersion).toBe('v0.28.7');
    expect(u.message).toMatch(/organizationId/);
    expect(u.message).toMatch(/not 429/);
    expect(u.message).toMatch(/issues\/4024/);
    expect(u.message).not.toMatch(/issues\/5219/); // that one is v0.30.2 only
  });

  it('a permission denial rewrapped as 400 or as an access-list 401 is a DokployPermissionError', async () => {
    const c = client();
    const created = await c.project.create({ name: 'x' }).catch((e: unknown) => e);
    expect(DokployPermissionError.isInstance(created)).toBe(true);
    expect(created).toMatchObject({ status: 400, permission: 'project:create' });
    const deleted = await c.compose
      .delete({ composeId: 'c', deleteVolumes: false })
      .catch((e: unknown) => e);
    expect(deleted).toMatchObject({
      code: 'DOKPLOY_PERMISSION_DENIED',
      permission: 'service:delete',
    });
    expect((deleted as Error).message).toMatch(/not been given access/);
  });

  it('other 4xx → DokployHttpError, never retried', async () => {
    const before = server.seen.length;
    const err = await client()
      .domain.byComposeId({ composeId: 'c' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DokployHttpError);
    expect(err).toMatchObject({ status: 418, code: 'DOKPLOY_HTTP', serverMessage: 'teapot' });
    expect(server.seen.length - before).toBe(1);
  });

  it('5xx with a non-JSON body → DokployServerError after the retries', async () => {
    const before = server.seen.length;
    const err = await client()
      .deployment.allByCompose({ composeId: 'c' })
      .catch((e: unknown) => e);
    expect(DokployServerError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ status: 502, attempts: 2 });
    expect(server.seen.length - before).toBe(2);
  });

  it('a 200 HTML page (login proxy) → DokployResponseError', async () => {
    const err = await client()
      .compose.loadServices({ composeId: 'c' })
      .catch((e: unknown) => e);
    expect(DokployResponseError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/non-JSON.*Cloudflare Access/);
  });

  it('a 200 body of the wrong shape → DokployResponseError', async () => {
    const err = await client()
      .compose.getDefaultCommand({ composeId: 'c' })
      .catch((e: unknown) => e);
    expect(DokployResponseError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/cannot read/);
  });

  it('an unparseable version answer is a DokployResponseError', async () => {
    const c = createDokployClient({
      baseUrl: server.url,
      apiKey: 'k_loopback_key_0123456789',
      headers: { 'x-variant': 'bad' },
    });
    const err = await c.getVersion().catch((e: unknown) => e);
    expect(DokployResponseError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/"nightly", which is not a version/);
  });

  it('sends x-api-key (never Bearer), accept JSON, and custom headers', async () => {
    const c = createDokployClient({
      baseUrl: `${server.url}/api/`,
      apiKey: 'k_loopback_key_0123456789',
      headers: { 'CF-Access-Client-Id': 'id.access' },
    });
    await c.settings.getDokployVersion();
    const last = server.seen.at(-1);
    expect(last?.url).toBe('/api/settings.getDokployVersion');
    expect(last?.headers['x-api-key']).toBe('k_loopback_key_0123456789');
    expect(last?.headers.authorization).toBeUndefined();
    expect(last?.headers.accept).toBe('application/json');
    expect(last?.headers['cf-access-client-id']).toBe('id.access');
  });
});
