import { RecordLog } from '@supaops/spill-buffer';

export type RawRow = Array<string | null>;

/**
 * Rows per spill record. Measured with the coalescing RecordLog (1M rows × 5 columns):
 * one row per record costs ~1.6 s of appends, 64 rows ~0.55 s; beyond ~128 rows the
 * appends get no cheaper while a page costs more (RecordLog indexes every 1024th record,
 * so a page may read up to 1024 records from disk before its offset).
 */
export const SPILL_CHUNK_ROWS = 64;

/**
 * Rows beyond the in-memory limit, kept in a spill-to-disk RecordLog in chunks of
 * `chunkRows` rows (one JSON record per chunk), with paging by row offset.
 */
export class SpilledRows {
  readonly #log: RecordLog<RawRow[]>;
  readonly #chunkRows: number;
  #pending: RawRow[] = [];
  #count = 0;
  #writing: Promise<void> | undefined;

  constructor(
    options: { threshold?: number | undefined; chunkRows?: number; tmpDir?: string } = {},
  ) {
    this.#log = new RecordLog<RawRow[]>({
      ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
      ...(options.tmpDir === undefined ? {} : { tmpDir: options.tmpDir }),
    });
    this.#chunkRows = options.chunkRows ?? SPILL_CHUNK_ROWS;
  }

  get count(): number {
    return this.#count;
  }

  get byteLength(): number {
    return this.#log.byteLength;
  }

  /**
   * Adds `rows[from..]`. Returns a promise when whole chunks were completed: await it
   * before pushing more (backpressure; RecordLog wants each append settled before the
   * next, as its offset index reads the byte length at append time).
   */
  pushAll(rows: RawRow[], from = 0): Promise<void> | undefined {
    let full: RawRow[][] | undefined;
    for (let i = from; i < rows.length; i++) {
      this.#pending.push(rows[i]!);
      if (this.#pending.length === this.#chunkRows) {
        full ??= [];
        full.push(this.#pending);
        this.#pending = [];
      }
    }
    this.#count += rows.length - from;
    if (!full) return undefined;
    this.#writing = this.#append(full);
    return this.#writing;
  }

  async #append(chunks: RawRow[][]): Promise<void> {
    for (const chunk of chunks) await this.#log.append(chunk);
  }

  /** Writes the last partial chunk and waits for the disk. */
  async finish(): Promise<void> {
    await this.#writing;
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
