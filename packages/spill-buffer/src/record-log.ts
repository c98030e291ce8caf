import { z } from 'zod';
import { SpillBufferError } from './errors.js';
import { parseSpillOptions, type SpillOptions } from './options.js';
import { SpillBuffer } from './spill-buffer.js';

const NEWLINE = 0x0a;
/** One byte offset is kept per this many records, so the index stays small for millions of rows. */
const INDEX_STRIDE = 1024;

const pageSchema = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(0).max(1_000_000),
  })
  .strict();

export type PageRequest = z.input<typeof pageSchema>;

/**
 * An append-only log of JSON records (JSON lines) held in a SpillBuffer: bounded memory,
 * a count, and pages (offset, limit) read without loading everything. Query results and
 * logs build on it.
 */
export class RecordLog<T = unknown> implements AsyncDisposable {
  readonly #buffer: SpillBuffer;
  readonly #index: number[] = [];
  #count = 0;

  constructor(options?: SpillOptions) {
    this.#buffer = new SpillBuffer(parseSpillOptions(options));
  }

  get count(): number {
    return this.#count;
  }

  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  get spilled(): boolean {
    return this.#buffer.spilled;
  }

  /** Appends one record; await it before appending more (backpressure). */
  append(record: T): Promise<void> {
    let line: string | undefined;
    try {
      line = JSON.stringify(record);
    } catch (error) {
      return Promise.reject(
        new SpillBufferError(
          'SPILL_RECORD_INVALID',
          `Record ${this.#count} cannot be serialized to JSON (${(error as Error).message}). Fix: convert BigInt and cyclic values before appending.`,
          { cause: error },
        ),
      );
    }
    if (line === undefined) {
      return Promise.reject(
        new SpillBufferError(
          'SPILL_RECORD_INVALID',
          `Record ${this.#count} is not JSON-serializable (${typeof record}). Fix: append objects, arrays, strings, numbers, booleans or null.`,
        ),
      );
    }
    if (this.#count % INDEX_STRIDE === 0) this.#index.push(this.#buffer.byteLength);
    this.#count++;
    return this.#buffer.write(`${line}\n`);
  }

  async #parse(line: string, position: number): Promise<T> {
    try {
      return JSON.parse(line) as T;
    } catch (error) {
      throw new SpillBufferError(
        'SPILL_IO_ERROR',
        `Record ${position} could not be read back (corrupt spill file). Fix: write the records again.`,
        { cause: error },
      );
    }
  }

  async *#from(first: number): AsyncGenerator<T> {
    if (first >= this.#count) return;
    const block = Math.floor(first / INDEX_STRIDE);
    let position = block * INDEX_STRIDE;
    const start = this.#index[block] ?? 0;
    const total = this.#count;
    let carry: Buffer[] = [];
    for await (const chunk of this.#buffer.createReadStream({ start })) {
      const bytes = chunk as Buffer;
      let from = 0;
      let newline = bytes.indexOf(NEWLINE, from);
      while (newline !== -1) {
        if (position >= first) {
          const piece = bytes.subarray(from, newline);
          const line = carry.length
            ? Buffer.concat([...carry, piece]).toString('utf8')
            : piece.toString('utf8');
          yield await this.#parse(line, position);
        }
        carry = [];
        position++;
        if (position >= total) return;
        from = newline + 1;
        newline = bytes.indexOf(NEWLINE, from);
      }
      if (from < bytes.byteLength && position >= first) carry.push(bytes.subarray(from));
    }
  }

  /** Every record, in order. */
  records(): AsyncGenerator<T> {
    return this.#from(0);
  }

  /** Records `offset` .. `offset + limit - 1`, reading only from the nearest index point. */
  async page(request: PageRequest): Promise<T[]> {
    const parsed = pageSchema.safeParse(request);
    if (!parsed.success) {
      throw new SpillBufferError(
        'SPILL_INVALID_INPUT',
        `Invalid page request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Fix: pass { offset >= 0, limit between 0 and 1000000 }.`,
        { cause: parsed.error },
      );
    }
    const { offset, limit } = parsed.data;
    const out: T[] = [];
    if (limit === 0) return out;
    for await (const record of this.#from(offset)) {
      out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Waits for pending appends and surfaces any disk error. */
  async flush(): Promise<void> {
    await this.#buffer.flush();
  }

  async dispose(): Promise<void> {
    await this.#buffer.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
