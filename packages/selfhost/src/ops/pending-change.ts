import type { DokployClient } from '@supaops/dokploy-client';
import type { HistoryStore } from '../safety/history.js';

/**
 * Whether the compose's env or file was last written (by us, per the history) after its last
 * successful deployment began: then the running stack does not use it yet. A write cancelled
 * before its redeploy, or a deploy that failed, leaves such a change behind. Dokploy's clock and
 * ours may differ by a little; a skew can cost one redundant redeploy, never a lost one, unless
 * our clock is behind Dokploy's by more than the time between the write and its deploy.
 */
export async function hasUndeployedChange(
  client: DokployClient,
  history: HistoryStore,
  composeId: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const writes = (await history.list()).filter(
    (r) => r.composeId === composeId && (r.kind === 'compose.file' || r.kind === 'compose.env'),
  );
  const last = writes.at(-1);
  if (!last) return false;
  const writtenAt = Date.parse(last.at);
  const compose = await client.compose.one({ composeId }, signal ? { signal } : {});
  return !(compose.deployments ?? []).some(
    (d) => d.status === 'done' && d.createdAt !== undefined && Date.parse(d.createdAt) >= writtenAt,
  );
}
