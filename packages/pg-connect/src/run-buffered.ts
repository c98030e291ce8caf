import pg from 'pg';
import type { Statement } from './execute-options.js';
import type { RowMode } from './result.js';
import { columnsOf, type PgResultLike, type StatementResultParts } from './statement-parts.js';

/**
 * pg's Query that keeps at most `cap` rows per result and counts the rest, so a huge result
 * read without `stream` cannot fill memory. Completion goes through pg's own callback path,
 * the same as a plain `client.query`.
 */
class CappedQuery extends pg.Query {
  readonly received = new Map<unknown, number>();
  readonly #cap: number;
  constructor(config: string | pg.QueryConfig, values: unknown[] | undefined, cap: number) {
    super(config as pg.QueryConfig, values);
    this.#cap = cap;
  }
  handleDataRow(message: unknown): void {
    const result = (this as unknown as { _result: unknown })._result;
    const n = this.received.get(result) ?? 0;
    this.received.set(result, n + 1);
    if (n < this.#cap) {
      (pg.Query.prototype as unknown as { handleDataRow(m: unknown): void }).handleDataRow.call(
        this,
        message,
      );
    }
  }
}

interface PgResultRows extends PgResultLike {
  rows: unknown[];
}

/** One round trip: simple protocol (several statements) or extended (with params); rows beyond maxRows are counted, not kept. */
export function runBuffered(
  client: pg.PoolClient,
  stmt: Statement,
  maxRows: number,
  rowMode: RowMode,
): Promise<StatementResultParts[]> {
  return new Promise((resolve, reject) => {
    // the string form skips pg's config cloning: this path is the per-query hot path
    const query =
      rowMode === 'array'
        ? new CappedQuery(
            { text: stmt.text, values: stmt.params, rowMode: 'array' } as unknown as pg.QueryConfig,
            undefined,
            maxRows,
          )
        : new CappedQuery(stmt.text, stmt.params, maxRows);
    client.query(query as unknown as pg.QueryConfig, (error: Error | null, results: unknown) => {
      if (error) {
        reject(error);
        return;
      }
      const list = (Array.isArray(results) ? results : [results]) as PgResultRows[];
      resolve(
        list.map((r) => ({
          command: r.command ?? null,
          columns: columnsOf(r.fields),
          kept: r.rows,
          parsed: true,
          rowCount: r.rowCount ?? null,
          received: query.received.get(r) ?? r.rows.length,
          spill: undefined,
        })),
      );
    });
  });
}
