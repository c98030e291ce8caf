import { DokployDeploymentFailedError, waitForDeployment } from '@supaops/dokploy-client';
import { setEnvValues } from '../../env/edit.js';
import { assertEnvWritable } from '../../env/guard.js';
import { GATEWAY_SERVICES } from '../../env/schema/table.js';
import { deployLockKey, historyLockOptions, withDeployLock } from '../../safety/deploy-lock.js';
import { deployFailure } from '../../validate/deploy-failure.js';
import { DeployCancelledError } from '../../workflow-errors.js';
import type { StepContext, WizardStep } from '../context.js';
import { ensureCompose } from './deploy-compose.js';
import { assertDoctorClean, plannedEnv } from './review.js';

/** Writes our env over the compose's (template keys never survive); recorded first. */
async function writeEnv(ctx: StepContext, composeId: string, host: string): Promise<boolean> {
  const { client, history, signal } = ctx.deps;
  const call = signal ? { signal } : {};
  const live = (await client.compose.one({ composeId }, call)).env ?? '';
  assertEnvWritable(live);
  const planned = plannedEnv(ctx);
  // keep keys a newer live template added; every value the wizard owns is ours
  const next = live.trim() === '' ? planned.text : setEnvValues(live, planned.values);
  assertDoctorClean(ctx, next, host);
  if (next === live) return false;
  await history.record({
    kind: 'compose.env',
    actor: 'wizard',
    composeId,
    before: live,
    after: next,
  });
  await client.compose.update({ composeId, env: next }, call);
  return true;
}

/** The gateway's domain: the host, https, Let's Encrypt, kong:8000. Created or corrected. */
export async function ensureDomain(
  deps: StepContext['deps'],
  actor: string,
  composeId: string,
  host: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const { client, history, signal } = deps;
  const call = signal ? { signal } : {};
  const domains = await client.domain.byComposeId({ composeId }, call);
  const gateway =
    domains.find((d) => d.host.toLowerCase() === host) ??
    domains.find((d) => GATEWAY_SERVICES.includes(d.serviceName ?? ''));
  const desired = {
    host,
    https: true,
    certificateType: 'letsencrypt' as const,
    serviceName:
      gateway?.serviceName && GATEWAY_SERVICES.includes(gateway.serviceName)
        ? gateway.serviceName
        : 'kong',
    port: 8000,
  };
  if (!gateway) {
    await history.record({ kind: 'domain.create', actor, composeId, after: desired });
    await client.domain.create({ ...desired, path: '/', composeId, domainType: 'compose' }, call);
    return 'created';
  }
  const same =
    gateway.host.toLowerCase() === desired.host &&
    gateway.https === true &&
    gateway.certificateType === 'letsencrypt' &&
    gateway.serviceName === desired.serviceName &&
    gateway.port === desired.port;
  if (same) return 'unchanged';
  await history.record({
    kind: 'domain.update',
    actor,
    composeId,
    before: gateway,
    after: desired,
  });
  await client.domain.update({ domainId: gateway.domainId, ...desired }, call);
  return 'updated';
}

async function deployAndWait(ctx: StepContext, composeId: string, appName: string) {
  const { client, history, signal } = ctx.deps;
  const call = signal ? { signal } : {};
  const list = await client.deployment.allByCompose({ composeId }, call);
  const previous =
    typeof ctx.data.deploymentId === 'string'
      ? list.find((d) => d.deploymentId === ctx.data.deploymentId)
      : undefined;
  const knownBefore = Array.isArray(ctx.data.knownDeploymentIds)
    ? (ctx.data.knownDeploymentIds as string[])
    : undefined;
  const pending =
    knownBefore && !previous ? list.find((d) => !knownBefore.includes(d.deploymentId)) : undefined;
  const watch = previous ?? pending;
  let known: string[];
  if (watch && (watch.status === 'running' || watch.status === 'done')) {
    // the previous run's deployment: wait on it instead of deploying twice
    known = list.filter((d) => d.deploymentId !== watch.deploymentId).map((d) => d.deploymentId);
    ctx.emit({
      type: 'progress',
      message: `resuming the wait for deployment ${watch.deploymentId}`,
      phase: watch.status,
    });
  } else if (knownBefore && !watch && ctx.data.deployRequested === true) {
    known = knownBefore; // queued behind another deployment: its row appears when it starts
  } else {
    known = list.map((d) => d.deploymentId);
    await ctx.checkpoint({ knownDeploymentIds: known, deploymentId: null, deployRequested: false });
    await history.record({ kind: 'compose.deploy', actor: 'wizard', composeId });
    await client.compose.deploy({ composeId }, call);
    await ctx.checkpoint({ deployRequested: true });
  }
  let seen: string | undefined;
  try {
    const done = await waitForDeployment(client, {
      composeId,
      knownDeploymentIds: known,
      timeoutMs: ctx.answers.deployTimeoutMs,
      intervalMs: ctx.answers.deployPollMs,
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        if (p.deployment && p.deployment.deploymentId !== seen) {
          seen = p.deployment.deploymentId;
          ctx.checkpoint({ deploymentId: seen }).catch(() => undefined);
        }
        ctx.emit({
          type: 'progress',
          message:
            p.phase === 'waiting'
              ? 'waiting for Dokploy to start the deployment (queued?)'
              : `deployment ${p.phase}`,
          phase: p.phase,
          elapsedMs: p.elapsedMs,
        });
      },
    });
    return done.deploymentId;
  } catch (error) {
    if (DokployDeploymentFailedError.isInstance(error)) {
      if (error.status === 'cancelled')
        throw new DeployCancelledError(error.deploymentId, { cause: error });
      throw await deployFailure(client, composeId, appName, error, signal);
    }
    throw error;
  }
}

/**
 * 7. Deploy: the compose (template, bundled or own), our env over it, the https domain, then
 * one deployment per server at a time, waited for with progress. Every part is idempotent and
 * checkpointed, so an interrupted run continues where it stopped.
 */
export const deployStep: WizardStep = {
  name: 'deploy',
  async run(ctx) {
    const { host } = ctx.of<{ host: string }>('domain');
    const { composeId, appName, source } = await ensureCompose(ctx);
    await ctx.deps.onComposeReady?.({ composeId, appName });
    const envWritten = await writeEnv(ctx, composeId, host);
    const domain = await ensureDomain(ctx.deps, 'wizard', composeId, host);
    const key = deployLockKey(ctx.deps.client.baseUrl.api, ctx.answers.serverId);
    const lock = historyLockOptions(ctx.deps.history, 'wizard', ctx.deps.signal, (holder) =>
      ctx.emit({
        type: 'progress',
        message: `waiting for another deploy to this Dokploy server (${holder ? `process ${holder.pid} on ${holder.host}` : 'another process'}) to finish`,
        phase: 'deploy-lock',
      }),
    );
    const deploymentId = await withDeployLock(
      key,
      () => deployAndWait(ctx, composeId, appName),
      lock,
    );
    return { composeId, appName, source, domain, envWritten, deploymentId };
  },
};
