import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { Statement } from './execute-options.js';
import { RAW_TYPES } from './pg-types.js';
import type { RawRow } from './result.js';
import { SpilledRows } from './spilled-rows.js';
import { columnsOf, type PgResultLike, type StatementResultParts } from './statement-parts.js';

/** Rows per chunk the stream hands to the consumer. */
const STREAM_CHUNK_ROWS = 250;

interface PausableSocket {
  pause(): void;
  resume(): void;
  cork(): void;
  uncork(): void;
}

/**
 * pg-query-stream that hands over rows in chunks of STREAM_CHUNK_ROWS as they arrive, each
 * row being the server's text values exactly as pg's protocol parser made them (no per-row
 * parse, 'row' event or stream push). The next portal fetch (Execute for `fetchRows` rows)
 * goes out as soon as the last one completes, so the server keeps producing while the
 * client writes; when the consumer falls behind, the socket is paused and TCP holds the
 * server back, so memory stays bounded whatever `fetchRows` is.
 */
export class ChunkedQueryStream extends QueryStream {
  readonly #fetchRows: number;
  #chunk: RawRow[] = [];
  #fetched = 0;
  #started = false;
  #paused = false;

  constructor(text: string, values: unknown[], fetchRows: number) {
    // highWaterMark counts chunks: 1000 rows buffered before the socket pauses (measured:
    // larger buffers let batches survive young-generation GCs and raise peak RSS)
    super(text, values, { highWaterMark: 4, rowMode: 'array', types: RAW_TYPES });
    this.#fetchRows = fetchRows;
    this.handleDataRow = (message: { fields: RawRow }) => {
      this.#fetched++;
      this.#chunk.push(message.fields);
      if (this.#chunk.length === STREAM_CHUNK_ROWS) this.#pushChunk();
    };
  }

  get #socket(): PausableSocket | undefined {
    return (this.cursor.connection as { stream?: PausableSocket } | null)?.stream;
  }

  #pushChunk(): void {
    const chunk = this.#chunk;
    this.#chunk = [];
    // once destroyed, the portal is being closed: keep reading so its ReadyForQuery arrives
    if (!this.push(chunk) && !this.destroyed && !this.#paused) {
      this.#paused = true;
      this.#socket?.pause();
    }
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#socket?.resume();
  }

  #fetch(): void {
    this.#fetched = 0;
    const socket = this.#socket;
    // Execute and Flush leave in one write
    socket?.cork();
    try {
      this.cursor.read(this.#fetchRows, (error: Error | undefined) => {
        if (error) {
          this.destroy(error);
          return;
        }
        const done = this.#fetched < this.#fetchRows;
        if (this.#chunk.length > 0) this.#pushChunk();
        if (done) this.push(null);
        else this.#fetch();
      });
    } finally {
      socket?.uncork();
    }
  }

  override _read(): void {
    if (!this.#started) {
      this.#started = true;
      this.#fetch();
    }
    this.#resume();
  }

  override _destroy(error: Error, callback: (error?: Error | null) => void): void {
    this.#resume();
    super._destroy(error, callback);
  }
}

/** Streams one statement through pg-query-stream; rows beyond maxRows go to a RecordLog (bounded memory). */
export async function runStreamed(
  client: pg.PoolClient,
  stmt: Statement,
  maxRows: number,
  batchSize: number,
  spillThreshold: number | undefined,
): Promise<StatementResultParts> {
  const stream = new ChunkedQueryStream(stmt.text, stmt.params ?? [], batchSize);
  client.query(stream);
  const kept: RawRow[] = [];
  let received = 0;
  let spill: SpilledRows | undefined;
  try {
    // a read() loop on 'readable', paused while the spill log catches up with the disk
    await new Promise<void>((resolve, reject) => {
      let writing = false;
      const drain = (): void => {
        if (writing) return;
        let batch = stream.read() as RawRow[] | null;
        while (batch !== null) {
          received += batch.length;
          let from = 0;
          if (kept.length < maxRows) {
            from = Math.min(maxRows - kept.length, batch.length);
            for (let i = 0; i < from; i++) kept.push(batch[i]!);
          }
          if (from < batch.length) {
            spill ??= new SpilledRows({ threshold: spillThreshold });
            const write = spill.pushAll(batch, from);
            if (write) {
              writing = true;
              write.then(
                () => {
                  writing = false;
                  drain();
                },
                (error: unknown) => stream.destroy(error as Error),
              );
              return;
            }
          }
          batch = stream.read() as RawRow[] | null;
        }
      };
      stream.on('readable', drain);
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    await spill?.finish();
  } catch (error) {
    await spill?.dispose();
    throw error;
  }
  const result = (stream as unknown as { cursor: { _result: PgResultLike } }).cursor._result;
  return {
    command: result.command ?? null,
    columns: columnsOf(result.fields),
    kept,
    parsed: false,
    // a portal fetched in batches reports only the last batch in CommandComplete: count ourselves
    rowCount: result.command === 'SELECT' || result.rowCount === null ? received : result.rowCount,
    received,
    spill,
  };
}
