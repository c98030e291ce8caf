/** One post-deploy check's outcome. `reason` never holds a key. */
export interface DeploymentCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly reason: string;
  readonly status?: number;
  /** The services a failure points at (their logs are collected). */
  readonly services?: readonly string[];
  /** The failure may go away on its own (the stack is still starting). */
  readonly transient?: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

type Fetch = typeof fetch;

async function get(
  fetchImpl: Fetch,
  url: string,
  key: string,
  signal: AbortSignal | undefined,
): Promise<Answer | { error: string }> {
  const timeout = AbortSignal.timeout(15_000);
  try {
    // Kong's Lua puts a bare apikey into Authorization without "Bearer ": PostgREST would then
    // run as anon and GoTrue refuse the admin API. Real clients send both; so do we.
    const res = await fetchImpl(url, {
      headers: { apikey: key, authorization: `Bearer ${key}`, accept: 'application/json' },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text };
  } catch (error) {
    if (signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).message };
  }
}

function describe(a: Answer): string {
  const b = a.body as Record<string, unknown> | undefined;
  const message = b?.msg ?? b?.message ?? b?.error ?? a.text.slice(0, 120);
  const code = b?.error_code ?? b?.code;
  return `HTTP ${a.status}${code !== undefined ? ` ${String(code)}` : ''}: ${String(message).slice(0, 200)}`;
}

/** A Kong answer rather than an upstream's: the key itself was refused at the gateway. */
function fromKong(a: Answer): boolean {
  const b = a.body as Record<string, unknown> | undefined;
  return typeof b?.request_id === 'string' || (a.status === 401 && typeof b?.message === 'string');
}

function failure(
  name: string,
  a: Answer | { error: string },
  upstream: string,
  hint: string,
): DeploymentCheck {
  if ('error' in a) {
    return {
      name,
      ok: false,
      reason: `the gateway did not answer (${a.error}): Kong is down or refused its config (identical ANON_KEY and SERVICE_ROLE_KEY stop Kong 3.x), or the domain does not route to it yet`,
      services: ['kong'],
      transient: true,
    };
  }
  const transient = a.status === 502 || a.status === 503 || a.status === 504;
  return {
    name,
    ok: false,
    status: a.status,
    reason: `${describe(a)}${hint ? ` (${hint})` : ''}`,
    services: fromKong(a) && !transient ? ['kong'] : [upstream],
    transient,
  };
}

const pathsOf = (body: unknown): string[] =>
  Object.keys(((body as { paths?: Record<string, unknown> } | undefined)?.paths ?? {}) as object)
    .slice()
    .sort();

/** The HTTP checks against the public URL, in order. */
export async function runHttpChecks(input: {
  publicUrl: string;
  anonKey: string;
  serviceKey: string;
  fetch: Fetch;
  signal?: AbortSignal | undefined;
}): Promise<DeploymentCheck[]> {
  const base = input.publicUrl.replace(/\/+$/, '');
  const at = (path: string, key: string) => get(input.fetch, `${base}${path}`, key, input.signal);
  const checks: DeploymentCheck[] = [];

  const health = await at('/auth/v1/health', input.anonKey);
  checks.push(
    'status' in health && health.status === 200
      ? { name: 'auth-health', ok: true, status: 200, reason: 'GoTrue answers with the anon key' }
      : failure('auth-health', health, 'auth', 'the anon key or GoTrue'),
  );

  const anon = await at('/rest/v1/', input.anonKey);
  const anonOk = 'status' in anon && anon.status === 200;
  checks.push(
    anonOk
      ? {
          name: 'rest-anon',
          ok: true,
          status: 200,
          reason: `PostgREST lists ${pathsOf(anon.body).length} paths for anon`,
        }
      : failure('rest-anon', anon, 'rest', 'the anon key'),
  );
  const service = await at('/rest/v1/', input.serviceKey);
  const serviceOk = 'status' in service && service.status === 200;
  checks.push(
    serviceOk
      ? {
          name: 'rest-service',
          ok: true,
          status: 200,
          reason: `PostgREST lists ${pathsOf(service.body).length} paths for the service key`,
        }
      : failure('rest-service', service, 'rest', 'the service key'),
  );
  if (anonOk && serviceOk) {
    const same = JSON.stringify(pathsOf(anon.body)) === JSON.stringify(pathsOf(service.body));
    checks.push(
      same
        ? {
            name: 'rest-privileges-differ',
            ok: false,
            reason:
              'the service key sees exactly what the anon key sees: it runs as anon (no "role": "service_role" claim, e.g. Dokploy template bug A). Fix: repair the keys (planRepair)',
            services: ['rest'],
          }
        : {
            name: 'rest-privileges-differ',
            ok: true,
            reason: 'the service key has other privileges than anon',
          },
    );
  }

  const admin = await at('/auth/v1/admin/users?page=1&per_page=1', input.serviceKey);
  checks.push(
    'status' in admin && admin.status === 200
      ? {
          name: 'auth-admin',
          ok: true,
          status: 200,
          reason: 'GoTrue accepts the service key as admin',
        }
      : failure(
          'auth-admin',
          admin,
          'auth',
          'GoTrue wants a service_role JWT signed with JWT_SECRET',
        ),
  );

  const buckets = await at('/storage/v1/bucket', input.serviceKey);
  checks.push(
    'status' in buckets && buckets.status === 200 && Array.isArray(buckets.body)
      ? {
          name: 'storage-buckets',
          ok: true,
          status: 200,
          reason: `Storage lists ${(buckets.body as unknown[]).length} buckets for the service key`,
        }
      : failure('storage-buckets', buckets, 'storage', 'the service key'),
  );
  return checks;
}
