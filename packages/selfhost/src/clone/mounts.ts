import type { DokployClient, DokployMount } from '@supaops/dokploy-client';
import type { HistoryStore } from '../safety/history.js';

/** A source mount the clone did not get, and why. */
export interface SkippedMount {
  readonly type: string;
  readonly mountPath: string;
  readonly reason: string;
}

export interface MountCopyResult {
  /** File paths created or updated on the clone. */
  readonly copied: readonly string[];
  /** File paths the clone already had with the same content (a resumed run). */
  readonly unchanged: readonly string[];
  readonly skipped: readonly SkippedMount[];
}

const fileKey = (m: DokployMount) => m.filePath ?? m.mountPath ?? '';

/**
 * Copies the source's file mounts (the template's kong.yml, init SQL, pooler.exs, functions)
 * to the clone, each recorded in the history first. Idempotent: a mount the clone already has
 * with the same content is left alone, one with other content is updated. Bind and volume mounts
 * are not copied: two stacks on one host path or named volume would share their data.
 */
export async function copyFileMounts(
  source: readonly DokployMount[],
  target: { client: DokployClient; history: HistoryStore; composeId: string },
  signal?: AbortSignal,
): Promise<MountCopyResult> {
  const { client, history, composeId } = target;
  const call = signal ? { signal } : {};
  const existing = (await client.compose.one({ composeId }, call)).mounts ?? [];
  const byPath = new Map(existing.filter((m) => m.type === 'file').map((m) => [fileKey(m), m]));
  const copied: string[] = [];
  const unchanged: string[] = [];
  const skipped: SkippedMount[] = [];
  for (const m of source) {
    if (m.type !== 'file') {
      skipped.push({
        type: m.type ?? 'unknown',
        mountPath: m.mountPath ?? '',
        reason:
          'a bind or volume mount would share the source\u2019s host path or named volume; give the clone its own in Dokploy if it needs one',
      });
      continue;
    }
    const path = fileKey(m);
    const content = m.content ?? '';
    const have = byPath.get(path);
    if (have && (have.content ?? '') === content) {
      unchanged.push(path);
      continue;
    }
    if (have) {
      await history.record({
        kind: 'mount.update',
        actor: 'clone',
        composeId,
        before: { mountId: have.mountId, filePath: path, content: have.content ?? '' },
        after: { mountId: have.mountId, filePath: path, content },
      });
      await client.mounts.updateFile({ mountId: have.mountId, content }, call);
    } else {
      // the API wants a mountPath of at least one character; the UI sends "/" for compose files
      const mountPath = m.mountPath && m.mountPath.length > 0 ? m.mountPath : '/';
      await history.record({
        kind: 'mount.create',
        actor: 'clone',
        composeId,
        after: { filePath: path, mountPath, bytes: Buffer.byteLength(content) },
      });
      await client.mounts.create(
        {
          type: 'file',
          serviceType: 'compose',
          serviceId: composeId,
          filePath: path,
          content,
          mountPath,
        },
        call,
      );
    }
    copied.push(path);
  }
  return { copied, unchanged, skipped };
}
