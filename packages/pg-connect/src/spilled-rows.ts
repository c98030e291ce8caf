import { RecordLog } from '@supaops/spill-buffer';

export type RawRow = Array<string | null>;

/** Rows per spill record: one JSON line holds a chunk, so a million rows are a thousand appends. */
export const SPILL_CHUNK_ROWS = 1000;

/**
 * Rows beyond the in-memory limit, kept in a spill-to-disk RecordLog in chunks of
 * SPILL_CHUNK_ROWS rows (one record per chunk), with paging by row offset.
 */
export class SpilledRows {
  readonly #log: RecordLog<RawRow[]>;
  readonly #chunkRows: number;
  #pending: RawRow[] = [];
  #count = 0;

  constructor(options: { threshold?: number | undefined; chunkRows?: number } = {}) {
    this.#log = new RecordLog<RawRow[]>(
      options.threshold === undefined ? {} : { threshold: options.threshold },
    );
    this.#chunkRows = options.chunkRows ?? SPILL_CHUNK_ROWS;
  }

  get count(): number {
    return this.#count;
  }

  get byteLength(): number {
    return this.#log.byteLength;
  }

  /** Adds a row; returns a promise only when a chunk was written (await it: backpressure). */
  push(row: RawRow): Promise<void> | undefined {
    this.#pending.push(row);
    this.#count++;
    if (this.#pending.length < this.#chunkRows) return undefined;
    const chunk = this.#pending;
    this.#pending = [];
    return this.#log.append(chunk);
  }

  /** Writes the last partial chunk and waits for the disk. */
  async finish(): Promise<void> {
    if (this.#pending.length) {
      const chunk = this.#pending;
      this.#pending = [];
      await this.#log.append(chunk);
    }
    await this.#log.flush();
  }

  /** Rows [offset, offset + limit) of the spilled rows. */
  async page(offset: number, limit: number): Promise<RawRow[]> {
    if (limit <= 0 || offset >= this.#count) return [];
    const first = Math.floor(offset / this.#chunkRows);
    const last = Math.floor((Math.min(this.#count, offset + limit) - 1) / this.#chunkRows);
    const chunks = await this.#log.page({ offset: first, limit: last - first + 1 });
    const start = offset - first * this.#chunkRows;
    return chunks.flat().slice(start, start + limit);
  }

  async *records(): AsyncGenerator<RawRow> {
    for await (const chunk of this.#log.records()) yield* chunk;
  }

  async dispose(): Promise<void> {
    this.#pending = [];
    await this.#log.dispose();
  }
}
