import { describe, expect, it } from 'vitest';
import {
  createDokployClient,
  DokployAbortError,
  DokployNetworkError,
  DokployNotFoundError,
  type DokployRetryEvent,
  DokployServerError,
  DokployTimeoutError,
  DokployUnauthorizedError,
  DokployValidationError,
} from '../src/index.js';
import { COMPOSE_FILE, useSimulator } from './helpers.js';

describe('retries and backoff under injected faults', () => {
  const t = useSimulator({ version: '0.30.2' });
  const count = (procedure: string) =>
    t.sim.requests.filter((r) => r.procedure === procedure).length;
  const client = (events: DokployRetryEvent[] = [], retries = 3) =>
    createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      version: '0.30.2',
      retry: { retries, minDelayMs: 4, maxDelayMs: 40, factor: 2 },
      onRetry: (e) => events.push(e),
    });

  it('retries an idempotent GET through a burst of 5xx, with growing jittered delays', async () => {
    const events: DokployRetryEvent[] = [];
    const before = count('project.all');
    t.sim.setFaults({ serverErrors: 3, serverErrorStatus: 503, procedures: ['project.all'] });
    expect(Array.isArray(await client(events).project.all())).toBe(true);
    expect(count('project.all') - before).toBe(4);
    expect(events.map((e) => e.retry)).toEqual([1, 2, 3]);
    expect(events.every((e) => e.reason === 'status 503')).toBe(true);
    // equal jitter: retry n waits within [c/2, c] with c = min(max, 4 * 2^(n-1))
    const ceilings = [4, 8, 16];
    events.forEach((e, i) => {
      expect(e.delayMs).toBeGreaterThanOrEqual((ceilings[i] ?? 0) / 2);
      expect(e.delayMs).toBeLessThanOrEqual(ceilings[i] ?? 0);
    });
  });

  it('gives up after the configured retries (bounded) with DokployServerError', async () => {
    const before = count('project.all');
    t.sim.setFaults({ serverErrors: 50, serverErrorStatus: 500, procedures: ['project.all'] });
    const err = await client([], 2)
      .project.all()
      .catch((e: unknown) => e);
    t.sim.clearFaults();
    expect(DokployServerError.isInstance(err)).toBe(true);
    expect((err as DokployServerError).attempts).toBe(3);
    expect(count('project.all') - before).toBe(3);
  });

  it('retries idempotent POSTs (compose.update) but never compose.create or compose.deploy', async () => {
    const c = client();
    const { project, environment } = await c.project.create({ name: 'Retry' });
    expect(project).toBeDefined();
    const compose = await c.compose.create({
      name: 'r',
      environmentId: environment?.environmentId ?? '',
      composeFile: COMPOSE_FILE,
    });

    let before = count('compose.update');
    t.sim.setFaults({ serverErrors: 1, procedures: ['compose.update'] });
    await c.compose.update({ composeId: compose.composeId, env: 'A=1' });
    expect(count('compose.update') - before).toBe(2);

    for (const procedure of ['compose.create', 'compose.deploy'] as const) {
      before = count(procedure);
      t.sim.setFaults({ serverErrors: 1, procedures: [procedure] });
      const err =
        procedure === 'compose.create'
          ? await c.compose
              .create({ name: 'r2', environmentId: environment?.environmentId ?? '' })
              .catch((e: unknown) => e)
          : await c.compose.deploy({ composeId: compose.composeId }).catch((e: unknown) => e);
      expect(DokployServerError.isInstance(err)).toBe(true);
      expect((err as DokployServerError).attempts).toBe(1);
      expect(count(procedure) - before).toBe(1);
    }
    t.sim.clearFaults();
  });

  it('retries dropped connections for GETs; a dropped deploy is reported, not resent', async () => {
    const c = client();
    let before = count('project.all');
    t.sim.setFaults({ dropConnections: 2, procedures: ['project.all'] });
    await c.project.all();
    expect(count('project.all') - before).toBe(3);

    const { environment } = await c.project.create({ name: 'Drop' });
    const compose = await c.compose.create({
      name: 'd',
      environmentId: environment?.environmentId ?? '',
      composeFile: COMPOSE_FILE,
    });
    before = count('compose.deploy');
    t.sim.setFaults({ dropConnections: 1, procedures: ['compose.deploy'] });
    const err = await c.compose.deploy({ composeId: compose.composeId }).catch((e: unknown) => e);
    expect(DokployNetworkError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/Not retried: the call is not idempotent/);
    expect(count('compose.deploy') - before).toBe(1);
    t.sim.clearFaults();
  });

  it('never retries 4xx: 400, 404 and a spurious 401', async () => {
    const c = client();
    const { environment } = await c.project.create({ name: 'NoRetry' });
    let before = count('environment.remove');
    await expect(
      c.environment.remove({ environmentId: environment?.environmentId ?? '' }),
    ).rejects.toBeInstanceOf(DokployValidationError);
    expect(count('environment.remove') - before).toBe(1);

    before = count('project.one');
    await expect(c.project.one({ projectId: 'missing' })).rejects.toBeInstanceOf(
      DokployNotFoundError,
    );
    expect(count('project.one') - before).toBe(1);

    before = count('user.get');
    t.sim.setFaults({ spuriousUnauthorized: 1 });
    const err = await c.user.get().catch((e: unknown) => e);
    expect(DokployUnauthorizedError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/v0\.30\.2/);
    expect((err as Error).message).toMatch(/issues\/5219/);
    expect(count('user.get') - before).toBe(1);
    // the key itself is fine: the next call goes through
    expect((await c.user.get()).organizationId).toBe(t.sim.state.organizationId);
  });

  it('times out slow answers per attempt; retries idempotent calls only', async () => {
    const c = createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      version: '0.30.2',
      timeoutMs: 60,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });
    let before = count('project.all');
    t.sim.setFaults({ latencyMs: 250, procedures: ['project.all', 'project.create'] });
    const err = await c.project.all().catch((e: unknown) => e);
    expect(DokployTimeoutError.isInstance(err)).toBe(true);
    expect((err as DokployTimeoutError).timeoutMs).toBe(60);
    expect(count('project.all') - before).toBe(2);

    before = count('project.create');
    await expect(c.project.create({ name: 'slow' })).rejects.toBeInstanceOf(DokployTimeoutError);
    expect(count('project.create') - before).toBe(1);
    t.sim.clearFaults();
  });

  it('latency alone is fine; the per-call timeout overrides the client one', async () => {
    t.sim.setFaults({ latencyMs: 30, procedures: ['project.all'] });
    const c = createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      timeoutMs: 10,
      retry: false,
    });
    await expect(c.project.all({ timeoutMs: 2_000 })).resolves.toBeInstanceOf(Array);
    await expect(c.project.all()).rejects.toBeInstanceOf(DokployTimeoutError);
    t.sim.clearFaults();
  });

  it('the caller can abort a call and a retry wait', async () => {
    const c = client([], 5);
    const controller = new AbortController();
    controller.abort();
    await expect(c.project.all({ signal: controller.signal })).rejects.toBeInstanceOf(
      DokployAbortError,
    );

    t.sim.setFaults({ serverErrors: 10, procedures: ['project.all'] });
    const slow = createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      retry: { retries: 5, minDelayMs: 500, maxDelayMs: 500 },
    });
    const c2 = new AbortController();
    const pending = slow.project.all({ signal: c2.signal }).catch((e: unknown) => e);
    setTimeout(() => c2.abort(), 50);
    expect(DokployAbortError.isInstance(await pending)).toBe(true);
    t.sim.clearFaults();
  });

  it('an injected fetch carries every request, retries and timeouts included', async () => {
    let calls = 0;
    const c = createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      version: '0.30.2',
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    // user.get: earlier tests leave delayed project.all answers in flight that would take the fault
    t.sim.setFaults({ serverErrors: 1, procedures: ['user.get'] });
    expect((await c.user.get()).organizationId).toBe(t.sim.state.organizationId);
    expect(calls).toBe(2);
    t.sim.setFaults({ latencyMs: 200, procedures: ['user.get'] });
    await expect(c.user.get({ timeoutMs: 20 })).rejects.toBeInstanceOf(DokployTimeoutError);
    t.sim.clearFaults();
  });

  it('a refused connection is a DokployNetworkError after the retries', async () => {
    const events: DokployRetryEvent[] = [];
    const c = createDokployClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k_refused_0123456789',
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      onRetry: (e) => events.push(e),
    });
    const err = await c.health().catch((e: unknown) => e);
    expect(DokployNetworkError.isInstance(err)).toBe(true);
    expect((err as DokployNetworkError).attempts).toBe(3);
    expect(events.map((e) => e.reason)).toEqual(['network', 'network']);
  });
});
