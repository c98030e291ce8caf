import { z } from 'zod';
import { type DokployClient, isDokployClient } from './client.js';
import {
  DokployAbortError,
  DokployDeploymentFailedError,
  DokployError,
  DokployInputError,
  DokployTimeoutError,
} from './errors.js';
import type { DokployDeployment, DokployDeployQueued } from './responses.js';
import { sleep } from './retry.js';
import { ensure } from './validate.js';
import { hasFeature } from './version.js';

/** Reported on every poll. */
export interface DeploymentProgress {
  composeId: string;
  /** `waiting` until the new deployment shows up, then its status. */
  phase: 'waiting' | 'running' | 'done' | 'error' | 'cancelled' | (string & {});
  deployment: DokployDeployment | undefined;
  polls: number;
  elapsedMs: number;
}

export interface WaitForDeploymentOptions {
  composeId: string;
  /** Deployments that existed before the deploy call; the first other one is watched. */
  knownDeploymentIds?: Iterable<string>;
  /** Alternatively: only deployments created at or after this time are considered. */
  since?: Date;
  /** Give up after this long (ms). Default 10 minutes. */
  timeoutMs?: number;
  /** Poll interval (ms). Default 2 000. */
  intervalMs?: number;
  onProgress?: (progress: DeploymentProgress) => void;
  signal?: AbortSignal;
}

const waitSchema = z.object({
  composeId: z.string().min(1),
  knownDeploymentIds: z
    .custom<Iterable<string>>(
      (v) => v === undefined || (typeof v === 'object' && v !== null && Symbol.iterator in v),
    )
    .optional(),
  since: z.date().optional(),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000)
    .optional(),
  intervalMs: z.number().int().min(1).max(600_000).optional(),
  onProgress: z.custom<(p: DeploymentProgress) => void>((v) => typeof v === 'function').optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
});

function checkClient(client: unknown, fn: string): void {
  if (!isDokployClient(client)) {
    throw new DokployInputError(
      `${fn}: the first argument is not a DokployClient. Fix: pass createDokployClient(...).`,
      [{ message: 'expected a DokployClient', path: ['client'] }],
    );
  }
}

function parse(options: unknown): WaitForDeploymentOptions {
  const r = waitSchema.safeParse(options);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ message: i.message, path: i.path.map(String) }));
    throw new DokployInputError(
      `Invalid waitForDeployment options: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Fix: pass at least { composeId }.`,
      issues,
    );
  }
  return r.data as WaitForDeploymentOptions;
}

const GENERIC_FAILURE = /^Error occurred ❌/;

/**
 * The reason of a failed build: Dokploy leaves `errorMessage` null and appends the error and
 * "Error occurred ❌, check the logs for details." to the log, so take the lines before that.
 */
export function failureReason(log: string): string | undefined {
  const lines = log
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const end = lines.findLastIndex((l) => GENERIC_FAILURE.test(l));
  const before = (end === -1 ? lines : lines.slice(0, end)).slice(-3);
  return before.length ? before.join(' | ') : undefined;
}

async function failure(
  client: DokployClient,
  o: WaitForDeploymentOptions,
  d: DokployDeployment,
): Promise<DokployDeploymentFailedError> {
  const v = client.version;
  const canRead = v !== undefined && hasFeature(v, 'deploymentReadLogs');
  let logTail: string | undefined;
  if (canRead && !d.errorMessage) {
    try {
      logTail = await client.deployment.readLogs(
        { deploymentId: d.deploymentId, tail: 30 },
        { signal: o.signal },
      );
    } catch {
      // the reason is a bonus: the failure is reported either way
    }
  }
  const reason = d.errorMessage
    ? client.redact(d.errorMessage)
    : logTail
      ? failureReason(logTail)
      : undefined;
  const logsHint = canRead
    ? `read the build log with deployment.readLogs({ deploymentId: "${d.deploymentId}" })`
    : 'read the build log in the Dokploy UI (deployment.readLogs needs v0.29.5+)';
  const cancelled =
    d.status === 'cancelled'
      ? ' (Dokploy cancels the deployments that were running when it restarts, and a kill or a newer deploy cancels one too)'
      : '';
  return new DokployDeploymentFailedError(
    `Deployment ${d.deploymentId} of compose ${o.composeId} ended with status "${d.status}"${cancelled}${
      reason ? `: ${reason}` : ''
    }. Fix: ${logsHint}, correct the compose or env, then deploy again.`,
    { deploymentId: d.deploymentId, status: d.status, ...(logTail ? { logTail } : {}) },
  );
}

/**
 * Polls `deployment.allByCompose` until the new deployment is `done` (resolves with it) or
 * `error`/`cancelled` (throws `DokployDeploymentFailedError`), or the timeout passes
 * (`DokployTimeoutError`). Without `knownDeploymentIds` or `since`, the newest deployment is watched.
 */
export async function waitForDeployment(
  client: DokployClient,
  options: WaitForDeploymentOptions,
): Promise<DokployDeployment> {
  checkClient(client, 'waitForDeployment');
  const o = parse(options);
  const known = new Set(o.knownDeploymentIds ?? []);
  const sinceMs = o.since ? o.since.getTime() - 1_000 : undefined; // tolerate clock skew
  const timeoutMs = o.timeoutMs ?? 600_000;
  const intervalMs = o.intervalMs ?? 2_000;
  const started = Date.now();
  for (let polls = 1; ; polls++) {
    const list = await client.deployment.allByCompose(
      { composeId: o.composeId },
      { signal: o.signal },
    );
    const candidate = list.find(
      (d) =>
        !known.has(d.deploymentId) &&
        (sinceMs === undefined || d.createdAt === undefined || Date.parse(d.createdAt) >= sinceMs),
    );
    const elapsedMs = Date.now() - started;
    o.onProgress?.({
      composeId: o.composeId,
      phase: candidate?.status ?? 'waiting',
      deployment: candidate,
      polls,
      elapsedMs,
    });
    if (candidate?.status === 'done') return candidate;
    if (candidate && (candidate.status === 'error' || candidate.status === 'cancelled')) {
      throw await failure(client, o, candidate);
    }
    if (elapsedMs + intervalMs > timeoutMs) {
      throw new DokployTimeoutError(
        `Deployment of compose ${o.composeId} did not finish within ${timeoutMs} ms (${
          candidate
            ? `last status "${candidate.status}"`
            : 'no new deployment appeared: Dokploy runs one deployment per server at a time and creates its row only when it starts, so it may be queued behind another; a Dokploy restart drops queued deployments (v0.29.9+)'
        }). Fix: raise timeoutMs (a first Supabase deploy pulls about 13 images), or check Dokploy's deployment queue and deploy again.`,
        { timeoutMs },
      );
    }
    try {
      await sleep(intervalMs, o.signal);
    } catch (cause) {
      if (DokployError.isInstance(cause)) throw cause;
      throw new DokployAbortError(
        `waitForDeployment for compose ${o.composeId} was aborted by the caller.`,
        { cause },
      );
    }
  }
}

export interface DeployAndWaitOptions
  extends Omit<WaitForDeploymentOptions, 'knownDeploymentIds' | 'since'> {
  /** Use `compose.redeploy` instead of `compose.deploy`. */
  redeploy?: boolean;
  title?: string;
  description?: string;
}

/** Deploys (or redeploys) a compose and waits for that deployment to finish. */
export async function deployAndWait(
  client: DokployClient,
  options: DeployAndWaitOptions,
): Promise<{ queued: DokployDeployQueued; deployment: DokployDeployment }> {
  checkClient(client, 'deployAndWait');
  const { redeploy, title, description, ...wait } = ensure(
    z.looseObject({
      redeploy: z.boolean().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
    }),
    options,
    'deployAndWait options',
    'pass { composeId } and optional redeploy/title/description.',
  ) as unknown as DeployAndWaitOptions;
  parse(wait);
  const before = await client.deployment.allByCompose(
    { composeId: wait.composeId },
    { signal: wait.signal },
  );
  const input = {
    composeId: wait.composeId,
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
  };
  const queued = redeploy
    ? await client.compose.redeploy(input, { signal: wait.signal })
    : await client.compose.deploy(input, { signal: wait.signal });
  const deployment = await waitForDeployment(client, {
    ...wait,
    knownDeploymentIds: before.map((d) => d.deploymentId),
  });
  return { queued, deployment };
}
