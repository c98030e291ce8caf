import type { DokployClient } from '@supaops/dokploy-client';
import { type InstanceInfo, resolveDatabase } from '../clone/database-ref.js';
import { assertEnvWritable } from '../env/guard.js';
import { toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import { deployAndValidate } from '../ops/deploy-and-validate.js';
import { hasUndeployedChange } from '../ops/pending-change.js';
import { updateCompose } from '../ops/update-compose.js';
import type { DeploymentReport } from '../validate/validate-deployment.js';
import { alignImages, type ImageAlignment } from './image-align.js';
import { ProductionConfirmationRequiredError, PromoteReadError } from './promote-errors.js';
import {
  type PromoteDeploymentInput,
  type PromoteEvent,
  promoteInputSchema,
} from './promote-input.js';
import { type SyncSchemaResult, syncSchema } from './sync-schema.js';

export interface PromoteResult {
  readonly dryRun: boolean;
  readonly source: { composeId: string; appName: string };
  readonly target: { composeId: string; appName: string; production: boolean };
  /** The schema sync (backup, applied, already present, skipped, histories). */
  readonly schema: SyncSchemaResult;
  /** With `alignImages`: the image changes (written unless a dry run). */
  readonly images?: Omit<ImageAlignment, 'composeFile'> & { written: boolean };
  /** Whether the running target uses the new images (after the redeploy). */
  readonly effective: boolean;
  readonly needsRedeploy: boolean;
  readonly deploymentId?: string;
  readonly validation?: DeploymentReport;
  /** Promotion never copies data. */
  readonly dataCopied: false;
}

interface Read {
  info: InstanceInfo;
  composeFile: string;
  envText: string;
}

async function readInstance(
  which: string,
  client: DokployClient,
  composeId: string,
  signal: AbortSignal | undefined,
): Promise<Read> {
  let detail: Awaited<ReturnType<DokployClient['compose']['one']>>;
  try {
    detail = await client.compose.one({ composeId }, signal ? { signal } : {});
  } catch (cause) {
    throw new PromoteReadError(which, composeId, (cause as Error).message, { cause });
  }
  const env = toEnvRecord(assertEnvWritable(detail.env ?? ''));
  return {
    info: { composeId, appName: detail.appName, env },
    composeFile: detail.composeFile ?? '',
    envText: detail.env ?? '',
  };
}

/**
 * Promotes one instance to the next (dev → staging → prod): the target's schema is synced from
 * the source by migrations (target backed up first, divergence refused, histories verified), and
 * with `alignImages` the target's services get the source's images through `updateCompose` (so
 * `rollback` restores the previous compose file), then it is redeployed and validated. A target
 * labelled production needs `confirmProduction: true` (a dry run does not). Data is never copied.
 */
export async function promoteDeployment(input: PromoteDeploymentInput): Promise<PromoteResult> {
  const o = parseInput('promoteDeployment', promoteInputSchema, input);
  const production = o.target.production === true;
  if (production && !o.confirmProduction && !o.dryRun)
    throw new ProductionConfirmationRequiredError(o.target.composeId);
  const emit = (event: PromoteEvent) => {
    try {
      o.onEvent?.(event);
    } catch {
      // a listener's bug must not break a promotion half-way
    }
  };
  const signal = o.signal;
  emit({ type: 'phase', phase: 'read', status: 'start' });
  const source = await readInstance('source', o.source.client, o.source.composeId, signal);
  const target = await readInstance('target', o.target.client, o.target.composeId, signal);
  const sourceDb = await resolveDatabase(o.source.database, source.info, 'source database');
  const targetDb = await resolveDatabase(o.target.database, target.info, 'target database');
  emit({ type: 'phase', phase: 'read', status: 'done' });

  emit({ type: 'phase', phase: 'schema', status: 'start' });
  const schema = await syncSchema({
    source: sourceDb,
    target: targetDb,
    migrationsDir: o.migrationsDir,
    ...(o.backup ? { backup: o.backup } : {}),
    ...(o.strategy ? { strategy: o.strategy } : {}),
    ...(o.dryRun ? { dryRun: true } : {}),
    ...(o.lock ? { lock: o.lock } : {}),
    onEvent: (event) => emit({ type: 'sync', event }),
    ...(signal ? { signal } : {}),
  });
  emit({
    type: 'phase',
    phase: 'schema',
    status: 'done',
    detail: { applied: schema.applied.map((m) => m.version) },
  });

  const base = {
    dryRun: o.dryRun === true,
    source: { composeId: source.info.composeId, appName: source.info.appName },
    target: { composeId: target.info.composeId, appName: target.info.appName, production },
    schema,
    dataCopied: false as const,
  };
  if (!o.alignImages) return { ...base, effective: true, needsRedeploy: false };

  emit({ type: 'phase', phase: 'images', status: 'start' });
  const { composeFile, ...alignment } = alignImages(source.composeFile, target.composeFile, {
    source: source.info.composeId,
    target: target.info.composeId,
  });
  if (!o.dryRun && alignment.changes.length === 0 && o.redeploy !== false) {
    // an earlier promotion wrote the images but stopped before (or in) its redeploy
    const pending = await hasUndeployedChange(
      o.target.client,
      o.target.history,
      o.target.composeId,
      signal,
    );
    if (pending) {
      emit({ type: 'phase', phase: 'images', status: 'done', detail: alignment.changes });
      emit({ type: 'phase', phase: 'deploy', status: 'start' });
      const done = await deployAndValidate(
        o.target.client,
        o.target.history,
        {
          composeId: o.target.composeId,
          actor: 'promote',
          title: 'supaops promote (the images written before)',
          env: target.envText,
        },
        o,
      );
      emit({
        type: 'phase',
        phase: 'deploy',
        status: 'done',
        detail: { ok: done.validation?.ok ?? null },
      });
      return {
        ...base,
        images: { ...alignment, written: false },
        effective: true,
        needsRedeploy: false,
        ...done,
      };
    }
  }
  if (o.dryRun || alignment.changes.length === 0) {
    emit({ type: 'phase', phase: 'images', status: 'done', detail: alignment.changes });
    return {
      ...base,
      images: { ...alignment, written: false },
      effective: alignment.changes.length === 0,
      needsRedeploy: false,
    };
  }
  const redeploy = o.redeploy !== false;
  if (redeploy) emit({ type: 'phase', phase: 'deploy', status: 'start' });
  const updated = await updateCompose({
    client: o.target.client,
    history: o.target.history,
    composeId: o.target.composeId,
    composeFile,
    actor: 'promote',
    redeploy,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.pollMs ? { pollMs: o.pollMs } : {}),
    ...(o.validate !== undefined ? { validate: o.validate } : {}),
    ...(o.validateAttempts ? { validateAttempts: o.validateAttempts } : {}),
    ...(o.validateRetryMs !== undefined ? { validateRetryMs: o.validateRetryMs } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(signal ? { signal } : {}),
  });
  emit({ type: 'phase', phase: 'images', status: 'done', detail: alignment.changes });
  if (redeploy)
    emit({
      type: 'phase',
      phase: 'deploy',
      status: 'done',
      detail: { ok: updated.validation?.ok ?? null },
    });
  if (updated.validation && !updated.validation.ok)
    emit({
      type: 'warning',
      phase: 'deploy',
      code: 'PROMOTE_VALIDATION_FAILED',
      message:
        'The target runs the new images but its post-deploy checks fail: see validation. rollback() restores the previous compose file and redeploys.',
    });
  return {
    ...base,
    images: { ...alignment, written: true },
    effective: updated.effective,
    needsRedeploy: updated.needsRedeploy,
    ...(updated.deploymentId ? { deploymentId: updated.deploymentId } : {}),
    ...(updated.validation ? { validation: updated.validation } : {}),
  };
}
