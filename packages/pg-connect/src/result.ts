import { z } from 'zod';
import type { RoleChoice } from './choose-role.js';
import { PgConnectError, validate } from './errors.js';
import { type TextParser, textParser } from './pg-types.js';
import type { RawRow, SpilledRows } from './spilled-rows.js';

export type { RawRow };

/** A result column: its name, type OID and type name (e.g. `int4`, `timestamptz`, `_text`). */
export interface ColumnInfo {
  name: string;
  dataTypeID: number;
  type: string;
}

export type RowMode = 'object' | 'array';

export function makeRowParser<Row>(columns: ColumnInfo[], rowMode: RowMode): (raw: RawRow) => Row {
  const parsers: TextParser[] = columns.map((c) => textParser(c.dataTypeID));
  const names = columns.map((c) => c.name);
  const n = columns.length;
  if (rowMode === 'array') {
    return (raw) => {
      const out = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i];
        out[i] = v === null || v === undefined ? null : parsers[i]!(v);
      }
      return out as Row;
    };
  }
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      out[names[i]!] = v === null || v === undefined ? null : parsers[i]!(v);
    }
    return out as Row;
  };
}

const pageSchema = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(0).max(100_000),
  })
  .strict();

export interface StatementResultInit {
  command: string | null;
  columns: ColumnInfo[];
  kept: unknown[];
  /** True when the kept rows are already parsed (pg's parsers); raw text arrays otherwise. */
  parsed: boolean;
  rowCount: number | null;
  /** Rows received (may exceed kept + spilled rows when not streaming). */
  received: number;
  spill: SpilledRows | undefined;
  rowMode: RowMode;
}

/**
 * The outcome of one statement: typed columns, the first `maxRows` rows, the server's
 * rowCount and whether rows were cut. With `stream: true` every row beyond the limit
 * sits in a spill-to-disk RecordLog and can be paged.
 */
export class StatementResult<Row = Record<string, unknown>> implements AsyncDisposable {
  readonly command: string | null;
  readonly columns: ColumnInfo[];
  readonly rows: Row[];
  /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE) as the server reported; null for utility statements. */
  readonly rowCount: number | null;
  /** True when `rows` holds fewer rows than the statement returned. */
  readonly truncated: boolean;
  /** True when every row (also beyond the limit) can be read with page() and records(). */
  readonly pageable: boolean;
  readonly #spill: SpilledRows | undefined;
  readonly #rowMode: RowMode;
  #parser: ((raw: RawRow) => Row) | undefined;
  #disposed = false;

  constructor(init: StatementResultInit) {
    this.command = init.command;
    this.columns = init.columns;
    this.#rowMode = init.rowMode;
    this.rows = init.parsed ? (init.kept as Row[]) : (init.kept as RawRow[]).map(this.#parse);
    this.rowCount = init.rowCount;
    this.truncated = init.received > init.kept.length;
    this.#spill = init.spill;
    this.pageable =
      !this.truncated || (init.spill?.count ?? 0) + init.kept.length === init.received;
  }

  /** Type parsers are built on first use: buffered results arrive parsed by pg already. */
  get #parse(): (raw: RawRow) => Row {
    this.#parser ??= makeRowParser<Row>(this.columns, this.#rowMode);
    return this.#parser;
  }

  /** Rows [offset, offset + limit) of the whole result, read from memory and the spill log. */
  async page(request: { offset?: number; limit: number }): Promise<Row[]> {
    const { offset, limit } = validate(pageSchema, request, 'page request');
    this.#assertReadable();
    const inMemory = this.rows.length;
    const out: Row[] = this.rows.slice(offset, offset + limit);
    if (out.length < limit && this.#spill) {
      const from = Math.max(0, offset - inMemory);
      const raw = await this.#spill.page(from, limit - out.length);
      for (const r of raw) out.push(this.#parse(r));
    }
    return out;
  }

  /** Every row in order, without loading them all. */
  async *records(): AsyncGenerator<Row> {
    this.#assertReadable();
    for (const row of this.rows) yield row;
    if (this.#spill) for await (const raw of this.#spill.records()) yield this.#parse(raw);
  }

  /** Bytes the rows beyond the limit take in the spill log (memory or temp file). */
  get spilledBytes(): number {
    return this.#spill?.byteLength ?? 0;
  }

  #assertReadable(): void {
    if (this.#disposed) {
      throw new PgConnectError(
        'RESULT_DISPOSED',
        'This result was disposed, so its spilled rows are gone. Fix: page before calling dispose(), or run the query again.',
      );
    }
    if (!this.pageable) {
      throw new PgConnectError(
        'RESULT_DISPOSED',
        `Only the first ${this.rows.length} of ${this.rowCount ?? 'the'} rows were kept. Fix: run executeSql with stream: true to page beyond maxRows.`,
      );
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#spill?.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/** What executeSql returns: the last statement's result at top level, every statement in `statements`. */
export class SqlResult<Row = Record<string, unknown>> implements AsyncDisposable {
  readonly statements: StatementResult<Row>[];
  readonly durationMs: number;
  /** With `role: 'auto'`: the role the statements ran as, why, and the objects that decided it. */
  readonly roleChoice: RoleChoice | undefined;
  readonly #last: StatementResult<Row> | undefined;

  constructor(statements: StatementResult<Row>[], durationMs: number, roleChoice?: RoleChoice) {
    this.statements = statements;
    this.durationMs = durationMs;
    this.roleChoice = roleChoice;
    // the last statement that returned rows (or the last one)
    let last = statements.at(-1);
    for (let i = statements.length - 1; i >= 0; i--) {
      if (statements[i]!.columns.length > 0) {
        last = statements[i];
        break;
      }
    }
    this.#last = last;
  }

  get command(): string | null {
    return this.#last?.command ?? null;
  }
  get columns(): ColumnInfo[] {
    return this.#last?.columns ?? [];
  }
  get rows(): Row[] {
    return this.#last?.rows ?? [];
  }
  get rowCount(): number | null {
    return this.#last?.rowCount ?? null;
  }
  get truncated(): boolean {
    return this.#last?.truncated ?? false;
  }
  get pageable(): boolean {
    return this.#last?.pageable ?? true;
  }

  page(request: { offset?: number; limit: number }): Promise<Row[]> {
    if (!this.#last) return Promise.resolve([]);
    return this.#last.page(request);
  }

  records(): AsyncGenerator<Row> {
    if (!this.#last) return (async function* () {})();
    return this.#last.records();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.statements.map((s) => s.dispose()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
