import { createReadStream as createFsReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { SpillBufferError, toSpillError } from './errors.js';
import { parseSpillOptions, type ResolvedSpillOptions, type SpillOptions } from './options.js';
import { createSpillFile } from './temp-files.js';

/** Writes below this size are coalesced once spilled; larger ones go straight to the file. */
const BATCH_BYTES = 64 * 1024;

function toBytes(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new SpillBufferError(
    'SPILL_INVALID_INPUT',
    `Cannot write a ${chunk === null ? 'null' : typeof chunk} to a SpillBuffer. Fix: write a Buffer, Uint8Array or string.`,
  );
}

/**
 * A byte sink that keeps up to `threshold` bytes in memory and spills transparently to a
 * private temp file (mode 0600) beyond it. Read it back as often as needed, as a Node
 * Readable, a web ReadableStream or a Buffer. Disk errors are typed, never silent truncation.
 */
export class SpillBuffer implements AsyncDisposable {
  readonly #options: ResolvedSpillOptions;
  #memory: Buffer[] = [];
  #length = 0;
  #file: { path: string; handle: FileHandle } | undefined;
  #pending: Promise<void> = Promise.resolve();
  /** Small writes after spilling are coalesced here, so a million tiny records are not a million syscalls. */
  #batch: Buffer[] = [];
  #batchBytes = 0;
  #failure: SpillBufferError | undefined;
  #ended = false;
  #disposed = false;

  constructor(options?: SpillOptions) {
    this.#options = parseSpillOptions(options);
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.#length;
  }

  /** Whether the content lives on disk. */
  get spilled(): boolean {
    return this.#file !== undefined;
  }

  /** Path of the spill file, once spilled. */
  get path(): string | undefined {
    return this.#file?.path;
  }

  get ended(): boolean {
    return this.#ended;
  }

  #assertWritable(): void {
    if (this.#disposed) {
      throw new SpillBufferError(
        'SPILL_DISPOSED',
        'This SpillBuffer was disposed. Fix: create a new one.',
      );
    }
    if (this.#ended) {
      throw new SpillBufferError(
        'SPILL_ENDED',
        'This SpillBuffer was ended. Fix: write before calling end().',
      );
    }
    if (this.#failure) throw this.#failure;
  }

  /**
   * Appends bytes. The promise settles once they are held (in memory or on disk), which
   * is the backpressure: await it before writing more.
   */
  write(chunk: Uint8Array | string): Promise<void> {
    let bytes: Buffer;
    try {
      this.#assertWritable();
      bytes = toBytes(chunk);
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.#pending.then(() => this.#append(bytes));
    // a failed write poisons later ones (they reject with the same error) instead of hiding a gap
    this.#pending = run.catch((error: unknown) => {
      this.#failure ??= toSpillError(this.#file?.path ?? 'spill file', error);
    });
    return run;
  }

  async #append(bytes: Buffer): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (bytes.byteLength === 0) return;
    if (!this.#file && this.#length + bytes.byteLength <= this.#options.threshold) {
      // copy: the caller may reuse its buffer after the promise settles
      this.#memory.push(Buffer.from(bytes));
      this.#length += bytes.byteLength;
      return;
    }
    if (!this.#file) {
      this.#file = await createSpillFile(this.#options.tmpDir);
      const held = this.#memory;
      this.#memory = [];
      this.#batch = held;
      this.#batchBytes = held.reduce((sum, part) => sum + part.byteLength, 0);
    }
    if (bytes.byteLength >= BATCH_BYTES) {
      await this.#drainBatch();
      await this.#writeFile(bytes);
      this.#length += bytes.byteLength;
      return;
    }
    // copy: the caller may reuse its buffer once the promise settles
    this.#batch.push(Buffer.from(bytes));
    this.#batchBytes += bytes.byteLength;
    this.#length += bytes.byteLength;
    if (this.#batchBytes >= BATCH_BYTES) await this.#drainBatch();
  }

  async #drainBatch(): Promise<void> {
    if (this.#batchBytes === 0 || !this.#file) return;
    const parts = this.#batch;
    const size = this.#batchBytes;
    this.#batch = [];
    this.#batchBytes = 0;
    try {
      await this.#writeFile(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    } catch (error) {
      // those bytes never reached the disk: byteLength must not claim them
      this.#length -= size;
      throw error;
    }
  }

  /** Runs after every queued write, then writes out the batch, so reads see every byte. */
  async #settle(): Promise<void> {
    const run = this.#pending.then(() => this.#drainBatch());
    this.#pending = run.catch((error: unknown) => {
      this.#failure ??= toSpillError(this.#file?.path ?? 'spill file', error);
    });
    await this.#pending;
    if (this.#failure) throw this.#failure;
  }

  async #writeFile(bytes: Buffer): Promise<void> {
    const file = this.#file!;
    let offset = 0;
    try {
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await file.handle.write(bytes, offset, bytes.byteLength - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      throw toSpillError(file.path, error);
    }
  }

  /** Waits for pending writes and surfaces any disk error; writing may go on. */
  async flush(): Promise<void> {
    await this.#settle();
  }

  /** Marks the end of writing; waits for pending writes and surfaces any disk error. */
  async end(): Promise<void> {
    if (this.#disposed) {
      throw new SpillBufferError(
        'SPILL_DISPOSED',
        'This SpillBuffer was disposed. Fix: create a new one.',
      );
    }
    this.#ended = true;
    await this.#settle();
  }

  /** A Node Writable that feeds this buffer, with backpressure. `finish` means end() succeeded. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.write(chunk).then(() => callback(), callback);
      },
      final: (callback) => {
        this.end().then(() => callback(), callback);
      },
    });
  }

  async *#chunks(start = 0): AsyncGenerator<Buffer> {
    await this.#settle();
    if (this.#disposed) {
      throw new SpillBufferError(
        'SPILL_DISPOSED',
        'This SpillBuffer was disposed. Fix: read before dispose().',
      );
    }
    if (!this.#file) {
      // snapshot so later writes do not change a read in progress
      let skip = start;
      for (const part of [...this.#memory]) {
        if (skip >= part.byteLength) {
          skip -= part.byteLength;
          continue;
        }
        yield skip > 0 ? part.subarray(skip) : part;
        skip = 0;
      }
      return;
    }
    const end = this.#length;
    const path = this.#file.path;
    if (start >= end) return;
    // fs.createReadStream reads with the callback API, clearly faster than FileHandle.read
    const stream = createFsReadStream(path, {
      start,
      end: end - 1,
      highWaterMark: this.#options.readChunkSize,
    });
    let position = start;
    try {
      for await (const chunk of stream) {
        position += (chunk as Buffer).byteLength;
        yield chunk as Buffer;
      }
    } catch (error) {
      throw toSpillError(path, error);
    } finally {
      stream.destroy();
    }
    if (position < end) {
      throw new SpillBufferError(
        'SPILL_IO_ERROR',
        `The spill file ${path} is shorter than the ${end} bytes written (it was truncated from outside). Fix: do not modify spill files; write the data again.`,
      );
    }
  }

  /**
   * A fresh Node Readable over everything written so far, or from byte `start` on
   * (pull-based: backpressure holds).
   */
  createReadStream(options: { start?: number } = {}): Readable {
    const start = options.start ?? 0;
    if (!Number.isInteger(start) || start < 0) {
      throw new SpillBufferError(
        'SPILL_INVALID_INPUT',
        `createReadStream({ start: ${start} }): start must be a whole number >= 0.`,
      );
    }
    return Readable.from(this.#chunks(start), { objectMode: false });
  }

  /** A fresh web ReadableStream over everything written so far. */
  toWebStream(): ReadableStream<Uint8Array> {
    const iterator = this.#chunks();
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const { value, done } = await iterator.next();
            if (done) controller.close();
            else
              controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
          } catch (error) {
            controller.error(error);
          }
        },
        async cancel() {
          await iterator.return(undefined);
        },
      },
      { highWaterMark: 1 },
    );
  }

  /** Everything written so far as one Buffer. */
  async toBuffer(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of this.#chunks()) parts.push(part);
    return Buffer.concat(parts, this.#length);
  }

  /** Reads `length` bytes at `offset` without reading the rest. */
  async readRange(offset: number, length: number): Promise<Buffer> {
    await this.#settle();
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
      throw new SpillBufferError(
        'SPILL_INVALID_INPUT',
        `readRange(${offset}, ${length}): offset and length must be whole numbers >= 0.`,
      );
    }
    const end = Math.min(this.#length, offset + length);
    if (end <= offset) return Buffer.alloc(0);
    if (!this.#file) {
      return Buffer.concat(this.#memory).subarray(offset, end);
    }
    const buffer = Buffer.allocUnsafe(end - offset);
    try {
      const handle = await open(this.#file.path, 'r');
      try {
        let read = 0;
        while (read < buffer.byteLength) {
          const { bytesRead } = await handle.read(
            buffer,
            read,
            buffer.byteLength - read,
            offset + read,
          );
          if (bytesRead === 0) break;
          read += bytesRead;
        }
        return buffer.subarray(0, read);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw toSpillError(this.#file.path, error);
    }
  }

  /** Releases memory and removes the temp file. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#pending;
    this.#memory = [];
    this.#batch = [];
    this.#batchBytes = 0;
    const file = this.#file;
    this.#file = undefined;
    if (file) {
      await file.handle.close().catch(() => undefined);
      await rm(file.path, { force: true });
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
