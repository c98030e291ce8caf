import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeTransforms, type LoadedBackup } from './backup-store.js';
import { CHUNK } from './compression.js';
import { type Connection, toolConnection } from './connection.js';
import { BackupAbortedError, BackupError, RestoreError } from './errors.js';
import type { ManifestPart } from './manifest.js';
import { Meter } from './meter.js';
import { type PgTool, spawnTool } from './pg-tools.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { ReleasingSink } from './release.js';
import type { StagedParts } from './stage-parts.js';

export interface RestorePartContext {
  staged: StagedParts;
  loaded: LoadedBackup;
  tool: PgTool;
  conn: Connection;
  jobs: number;
  tempDir: string | undefined;
  args: string[];
  onProgress: ProgressListener | undefined;
  signal: AbortSignal | undefined;
}

function hashMismatch(part: ManifestPart): () => Error {
  return () =>
    new RestoreError(
      'RESTORE_HASH_MISMATCH',
      `The decoded ${part.name} archive's size or SHA-256 differs from the manifest (the object changed after it was verified); pg_restore was stopped before the end of its input, so its transaction did not commit. Fix: run verifyBackup; use another copy of the backup.`,
    );
}

/** Streams one decoded part into pg_restore (or through a temp file for parallel jobs). */
export async function restorePart(ctx: RestorePartContext, part: ManifestPart): Promise<void> {
  const { dbname, env } = toolConnection(ctx.conn);
  const tracker = new ProgressTracker('restore', part.name, part.raw_size, ctx.onProgress);
  const source = await ctx.staged.open(part);
  const decode = decodeTransforms(ctx.loaded, ctx.staged.owned(part));
  // the decompressed chunks are this pipeline's own: freed once written (see release.ts)
  const sink = (target: Writable): Writable =>
    ctx.loaded.manifest.compression.algorithm === 'none'
      ? target
      : new ReleasingSink(target, CHUNK);
  // holds the last chunk back until the whole archive matches the manifest (see Meter)
  const raw = new Meter(tracker, undefined, {
    bytes: part.raw_size,
    sha256: part.raw_sha256,
    error: hashMismatch(part),
  });
  const secrets = [ctx.conn.password];
  let tempRoot: string | undefined;
  const onAbort = () => source.destroy(new BackupAbortedError('The restore was aborted.'));
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (ctx.jobs > 1) {
      tempRoot = await mkdtemp(join(ctx.tempDir ?? tmpdir(), 'supaops-restore-'));
      const file = join(tempRoot, `${part.name}.dump`);
      await pipeline([source, ...decode, raw, sink(createWriteStream(file, { mode: 0o600 }))]);
      const run = spawnTool(
        ctx.tool,
        [...ctx.args, `--jobs=${ctx.jobs}`, `--dbname=${dbname}`, file],
        { env, stdin: 'ignore', stdout: 'ignore', secrets },
      );
      await run.exited;
    } else {
      const run = spawnTool(ctx.tool, [...ctx.args, `--dbname=${dbname}`], {
        env,
        stdin: 'pipe',
        stdout: 'ignore',
        secrets,
      });
      const stdin = run.child.stdin as Writable;
      const feed = pipeline([source as Readable, ...decode, raw, sink(stdin)]).catch(
        (error: unknown) => {
          // an incomplete input must end pg_restore (and roll its transaction back), not hang it
          stdin.destroy();
          throw error;
        },
      );
      const [fed, exited] = await Promise.allSettled([feed, run.exited]);
      // a decode failure (integrity, key) explains pg_restore's premature end of input
      if (fed.status === 'rejected' && BackupError.isInstance(fed.reason)) throw fed.reason;
      if (exited.status === 'rejected') throw exited.reason;
      if (fed.status === 'rejected') throw fed.reason;
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  }
}
