import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ProgressTracker } from './progress.js';

/** A pass-through that counts bytes, hashes them with SHA-256 and reports progress. */
export class Meter extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  private digest: string | undefined;
  private held: Buffer | undefined;

  constructor(
    private readonly tracker?: ProgressTracker,
    /** Awaited before the stream ends: lets a producer's exit status gate the end of data. */
    private readonly beforeEnd?: () => Promise<void>,
    /**
     * Holds the last chunk back until the whole stream's size and SHA-256 match: a consumer
     * that only commits at the end of its input (pg_restore --single-transaction) then never
     * sees a complete input that differs from the manifest.
     */
    private readonly gate?: { bytes: number; sha256: string; error: () => Error },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.tracker?.add(chunk.length);
    if (!this.gate) {
      callback(null, chunk);
      return;
    }
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    const end = () => {
      this.digest = this.hash.digest('hex');
      this.tracker?.finish();
      if (this.gate) {
        if (this.bytes !== this.gate.bytes || this.digest !== this.gate.sha256) {
          callback(this.gate.error());
          return;
        }
        if (this.held) this.push(this.held);
        this.held = undefined;
      }
      callback();
    };
    if (!this.beforeEnd) {
      end();
      return;
    }
    this.beforeEnd().then(end, (error: Error) => callback(error));
  }

  /** Hex SHA-256 of everything that passed (available once the stream has ended). */
  sha256(): string {
    if (this.digest === undefined) throw new Error('Meter.sha256() read before the stream ended');
    return this.digest;
  }
}
