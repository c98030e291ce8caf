import {
  type DokployClient,
  DokployDeploymentFailedError,
  deployAndWait,
} from '@supaops/dokploy-client';
import { deployLockKey, historyLockOptions, withDeployLock } from '../safety/deploy-lock.js';
import type { HistoryStore } from '../safety/history.js';
import { deployFailure } from '../validate/deploy-failure.js';
import { DeployCancelledError } from '../workflow-errors.js';

export interface RedeployOptions {
  composeId: string;
  actor: string;
  title: string;
  timeoutMs?: number | undefined;
  pollMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Deploys a compose so that env and domain changes take effect (Dokploy writes `.env` and the
 * Traefik labels only at deploy), one deploy per server at a time, recorded first. A failed
 * deployment becomes DeployFailedError with the failing services' logs.
 */
export async function redeployCompose(
  client: DokployClient,
  history: HistoryStore,
  o: RedeployOptions,
): Promise<string> {
  const call = o.signal ? { signal: o.signal } : {};
  const compose = await client.compose.one({ composeId: o.composeId }, call);
  const key = deployLockKey(client.baseUrl.api, compose.serverId);
  return withDeployLock(
    key,
    async () => {
      await history.record({ kind: 'compose.deploy', actor: o.actor, composeId: o.composeId });
      try {
        const { deployment } = await deployAndWait(client, {
          composeId: o.composeId,
          title: o.title,
          timeoutMs: o.timeoutMs ?? 30 * 60_000,
          ...(o.pollMs ? { intervalMs: o.pollMs } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        });
        return deployment.deploymentId;
      } catch (error) {
        if (DokployDeploymentFailedError.isInstance(error)) {
          if (error.status === 'cancelled')
            throw new DeployCancelledError(error.deploymentId, { cause: error });
          throw await deployFailure(client, o.composeId, compose.appName, error, o.signal);
        }
        throw error;
      }
    },
    historyLockOptions(history, o.actor, o.signal),
  );
}
