import {
  type DokployClient,
  DokployDeploymentFailedError,
  deployAndWait,
} from '@supaops/dokploy-client';
import { z } from 'zod';
import { assertEnvWritable } from '../env/guard.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import { deployLockKey, historyLockOptions, withDeployLock } from '../safety/deploy-lock.js';
import type { HistoryStore } from '../safety/history.js';
import { deployFailure } from '../validate/deploy-failure.js';
import { type DeploymentReport, validateDeployment } from '../validate/validate-deployment.js';
import { DeployCancelledError, RepairStaleError } from '../workflow-errors.js';
import { type RepairPlan, repairPlanEnv, sha256 } from './plan-repair.js';

export interface ApplyRepairOptions {
  client: DokployClient;
  /** Every write is recorded here before it is made. */
  history: HistoryStore;
  /** Show the diff only: nothing is written (default false). */
  dryRun?: boolean;
  /** Redeploy after the writes (default true): env and domain changes apply only then. */
  redeploy?: boolean;
  /** Validate after the redeploy (default true). */
  validate?: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
  pollMs?: number;
  validateAttempts?: number;
  validateRetryMs?: number;
  signal?: AbortSignal;
}

export interface RepairResult {
  readonly applied: boolean;
  readonly plan: RepairPlan;
  readonly envWritten: boolean;
  readonly domainUpdated: boolean;
  readonly deploymentId?: string;
  readonly validation?: DeploymentReport;
}

const schema = z
  .object({
    client: z.custom<DokployClient>((v) => typeof v === 'object' && v !== null && 'compose' in v),
    history: z.custom<HistoryStore>((v) => typeof v === 'object' && v !== null && 'record' in v),
    dryRun: z.boolean().optional(),
    redeploy: z.boolean().optional(),
    validate: z.boolean().optional(),
    fetch: z.custom<typeof fetch>((v) => typeof v === 'function').optional(),
    timeoutMs: z.number().int().min(1000).optional(),
    pollMs: z.number().int().min(1).optional(),
    validateAttempts: z.number().int().min(1).max(100).optional(),
    validateRetryMs: z.number().int().min(0).optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict();

/**
 * Applies a plan of `planRepair`: refuses when the env changed since (RepairStaleError), records
 * each write in the history first, writes the env (untouched lines byte for byte) with
 * `compose.update` and the domain's https, redeploys and validates.
 */
export async function applyRepair(
  plan: RepairPlan,
  options: ApplyRepairOptions,
): Promise<RepairResult> {
  const o = parseInput('applyRepair', schema, options);
  const texts = repairPlanEnv(plan);
  if (o.dryRun) return { applied: false, plan, envWritten: false, domainUpdated: false };
  const { client, history, signal } = o;
  const call = signal ? { signal } : {};
  const compose = await client.compose.one({ composeId: plan.composeId }, call);
  if (sha256(compose.env ?? '') !== texts.hash) throw new RepairStaleError(plan.composeId);
  let envWritten = false;
  if (texts.after !== texts.before) {
    assertEnvWritable(texts.after);
    await history.record({
      kind: 'compose.env',
      actor: 'repair',
      composeId: plan.composeId,
      before: texts.before,
      after: texts.after,
    });
    await client.compose.update({ composeId: plan.composeId, env: texts.after }, call);
    envWritten = true;
  }
  let domainUpdated = false;
  if (plan.domain) {
    await history.record({
      kind: 'domain.update',
      actor: 'repair',
      composeId: plan.composeId,
      before: plan.domain.before,
      after: plan.domain.after,
    });
    await client.domain.update(
      { domainId: plan.domain.domainId, host: plan.domain.host, ...plan.domain.after },
      call,
    );
    domainUpdated = true;
  }
  if (o.redeploy === false) return { applied: true, plan, envWritten, domainUpdated };
  const key = deployLockKey(client.baseUrl.api, compose.serverId);
  const deploymentId = await withDeployLock(
    key,
    async () => {
      await history.record({ kind: 'compose.deploy', actor: 'repair', composeId: plan.composeId });
      try {
        const { deployment } = await deployAndWait(client, {
          composeId: plan.composeId,
          title: 'supaops repair',
          timeoutMs: o.timeoutMs ?? 30 * 60_000,
          ...(o.pollMs ? { intervalMs: o.pollMs } : {}),
          ...(signal ? { signal } : {}),
        });
        return deployment.deploymentId;
      } catch (error) {
        if (DokployDeploymentFailedError.isInstance(error)) {
          if (error.status === 'cancelled')
            throw new DeployCancelledError(error.deploymentId, { cause: error });
          throw await deployFailure(client, plan.composeId, plan.appName, error, signal);
        }
        throw error;
      }
    },
    historyLockOptions(history, 'repair', signal),
  );
  if (o.validate === false || !plan.publicUrl) {
    return { applied: true, plan, envWritten, domainUpdated, deploymentId };
  }
  const env = toEnvRecord(parseEnv(texts.after));
  const validation = await validateDeployment({
    publicUrl: plan.publicUrl,
    anonKey: env.ANON_KEY ?? '',
    serviceKey: env.SERVICE_ROLE_KEY ?? '',
    client,
    composeId: plan.composeId,
    attempts: o.validateAttempts ?? 10,
    retryMs: o.validateRetryMs ?? 3000,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(signal ? { signal } : {}),
  });
  return { applied: true, plan, envWritten, domainUpdated, deploymentId, validation };
}
