import type { Duplex, Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CHUNK, type CompressionSettings, compressionStage } from './compression.js';
import { type Connection, toolConnection } from './connection.js';
import { encryptTransform } from './encryption.js';
import { BackupAbortedError, BackupError, PgToolError } from './errors.js';
import type { MasterKey } from './keys.js';
import type { ManifestPart } from './manifest.js';
import { Meter } from './meter.js';
import { type PgTool, spawnTool } from './pg-tools.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { OWNED_READS, RELEASE_WRITTEN } from './release.js';
import type { BackupStorage } from './storage/types.js';
import { commentReservedRoles } from './supabase.js';

export interface PartPlan {
  name: string;
  file: string;
  format: ManifestPart['format'];
  restore: ManifestPart['restore'];
  tool: PgTool;
  args: string[];
  schemas?: string[];
  /** Transform of the raw output before compression (roles: comment out reserved roles). */
  rewrite?: () => Transform;
  /** A failure is recorded as a warning instead of failing the backup. */
  optional?: boolean;
}

export interface PipelineContext {
  storage: BackupStorage;
  conn: Connection;
  compression: CompressionSettings;
  master: MasterKey | undefined;
  chunkSizeLog2: number;
  onProgress: ProgressListener | undefined;
  signal: AbortSignal | undefined;
  totalEstimate: number | undefined;
}

export function extension(compression: CompressionSettings, encrypted: boolean): string {
  const c = compression.kind === 'zstd' ? '.zst' : compression.kind === 'gzip' ? '.gz' : '';
  return `${c}${encrypted ? '.enc' : ''}`;
}

/** Runs one tool → meter → (rewrite) → compress → encrypt → meter → storage.put. */
export async function writePart(
  ctx: PipelineContext,
  plan: PartPlan,
  key: string,
): Promise<Omit<ManifestPart, 'name' | 'format' | 'restore'>> {
  const { dbname, env } = toolConnection(ctx.conn);
  const tool = spawnTool(plan.tool, [...plan.args, `--dbname=${dbname}`], {
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    secrets: [ctx.conn.password],
  });
  const tracker = new ProgressTracker('dump', plan.name, ctx.totalEstimate, ctx.onProgress);
  const raw = new Meter(tracker, () => tool.exited);
  const stored = new Meter();
  // the plaintext hash covers what is stored, so a rewrite (roles) comes before the meter
  // every chunk from here on is this pipeline's own: each is released (freed at once instead of
  // at V8's next GC) by its last consumer; see release.ts
  const stages: Duplex[] = plan.rewrite ? [plan.rewrite(), raw] : [raw];
  stages.push(compressionStage('compress', ctx.compression, true));
  if (ctx.master) {
    stages.push(
      encryptTransform(
        ctx.master,
        { chunkSizeLog2: ctx.chunkSizeLog2 },
        ctx.compression.kind === 'none' ? 0 : CHUNK,
      ),
    );
  }
  stages.push(stored);
  const owned = (ctx.storage as { [OWNED_READS]?: boolean })[OWNED_READS] === true;

  const source = tool.child.stdout as Readable;
  const flow = pipeline([source, ...stages]).catch((error: unknown) => {
    tool.child.kill('SIGTERM');
    throw error;
  });
  const put = ctx.storage
    .put(key, stored, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(owned ? { [RELEASE_WRITTEN]: CHUNK } : {}),
    })
    .catch((error: unknown) => {
      stored.destroy(error as Error);
      tool.child.kill('SIGTERM');
      throw error;
    });
  // registered once the pipeline owns the streams, so the abort error has a listener
  const onAbort = () => {
    tool.child.kill('SIGTERM');
    raw.destroy(new BackupAbortedError(`The backup was aborted while writing ${plan.name}.`));
  };
  if (ctx.signal?.aborted) onAbort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const [flowResult, putResult] = await Promise.allSettled([flow, put]);
  ctx.signal?.removeEventListener('abort', onAbort);
  await tool.exited.catch(() => {});
  if (flowResult.status === 'rejected' || putResult.status === 'rejected') {
    const errors = [flowResult, putResult]
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason as unknown);
    if (ctx.signal?.aborted) {
      throw new BackupAbortedError(
        `The backup was aborted while writing ${plan.name}; nothing was stored under ${key}.`,
        {
          cause: errors[0],
        },
      );
    }
    throw (
      errors.find((e) => e instanceof PgToolError) ??
      errors.find((e) => BackupError.isInstance(e)) ??
      errors[0]
    );
  }
  return {
    key,
    raw_size: raw.bytes,
    stored_size: stored.bytes,
    raw_sha256: raw.sha256(),
    stored_sha256: stored.sha256(),
    ...(plan.schemas ? { schemas: plan.schemas } : {}),
  };
}

/** Comments out reserved Supabase roles line by line (roles scripts are small text). */
export function rolesRewrite(): Transform {
  let carry = '';
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const text = carry + chunk.toString('utf8');
      const cut = text.lastIndexOf('\n');
      carry = cut < 0 ? text : text.slice(cut + 1);
      callback(
        null,
        cut < 0 ? undefined : Buffer.from(commentReservedRoles(text.slice(0, cut + 1))),
      );
    },
    flush(callback) {
      callback(null, carry ? Buffer.from(commentReservedRoles(carry)) : undefined);
    },
  });
}
