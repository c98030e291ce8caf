import { Duplex, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Why this exists: every Buffer a stream stage allocates (a pipe read, a zlib output buffer, a
 * cipher's output) is native memory that V8 frees only when its next GC collects the Buffer
 * object. V8 starts that GC for external memory only after ~64 MiB more of it were allocated
 * since the last one, so a pipeline moving hundreds of MiB keeps up to ~64 MiB of dead buffers
 * resident — more than the pipeline itself. Buffers this package allocates and consumes itself
 * are therefore released as soon as their last consumer is done with them
 * (`ArrayBuffer.prototype.transfer(0)` frees the memory at once), and only those.
 */

/**
 * Marks this package's own storage: its reads are buffers of their own (released once decoded),
 * and `put` with `{ [RELEASE_WRITTEN]: size }` releases the chunks it has written.
 */
export const OWNED_READS: unique symbol = Symbol('supaops.backup-engine.owned-reads');
export const RELEASE_WRITTEN: unique symbol = Symbol('supaops.backup-engine.release-written');

/** Smaller buffers may be slices of Node's shared allocation pool: never released. */
const MIN_RELEASE = 4096;

type Releasable = ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean };

/**
 * Frees the memory of `buf` now when `buf` ends its ArrayBuffer and that ArrayBuffer is either
 * exactly `buf` (a buffer of its own, e.g. a pipe read or a cipher output) or exactly
 * `sharedSize` bytes long (a zlib output buffer whose earlier slices were consumed before).
 * The caller guarantees that nothing else still uses the memory. Returns whether it was freed.
 */
export function releaseBuffer(buf: Buffer, sharedSize?: number): boolean {
  const ab = buf.buffer as Releasable;
  if (
    !(ab instanceof ArrayBuffer) ||
    typeof ab.transfer !== 'function' ||
    ab.detached === true ||
    (ab as { resizable?: boolean }).resizable === true ||
    ab.byteLength < MIN_RELEASE ||
    buf.byteOffset + buf.byteLength !== ab.byteLength
  ) {
    return false;
  }
  const own = buf.byteOffset === 0;
  if (!own && ab.byteLength !== sharedSize) return false;
  ab.transfer(0);
  return true;
}

/**
 * Wraps a zlib stream so that each input chunk is released once zlib has consumed it (zlib
 * copies input into its own window). Only for inputs the caller owns exclusively.
 */
export class ReleasingZlib extends Duplex {
  constructor(
    private readonly inner: Duplex,
    private readonly releaseInput: boolean,
  ) {
    super();
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.once('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error | null) => void) {
    this.inner.write(chunk, (error) => {
      if (!error && this.releaseInput) releaseBuffer(chunk);
      callback(error);
    });
  }

  override _final(callback: (e?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _read(): void {
    this.inner.resume();
  }

  override _destroy(error: Error | null, callback: (e?: Error | null) => void): void {
    this.inner.destroy();
    callback(error);
  }
}

/**
 * A sink that writes to `target` and releases each chunk once the write has completed (the
 * chunks are this package's own: cipher outputs, or zlib output slices of `sharedSize`).
 */
export class ReleasingSink extends Writable {
  constructor(
    private readonly target: Writable,
    private readonly sharedSize: number,
  ) {
    super();
    target.on('error', (error) => this.destroy(error));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error | null) => void) {
    const ok = this.target.write(chunk, (error) => {
      if (!error) releaseBuffer(chunk, this.sharedSize);
    });
    if (ok) callback();
    else this.target.once('drain', () => callback());
  }

  override _final(callback: (e?: Error | null) => void): void {
    this.target.end();
    finished(this.target).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (e?: Error | null) => void): void {
    if (!this.target.destroyed) this.target.destroy(error ?? undefined);
    callback(error);
  }
}
