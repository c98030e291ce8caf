import type { ColumnInfo } from './result.js';
import type { SpilledRows } from './spilled-rows.js';

/** What one statement produced, before it becomes a StatementResult. */
export interface StatementResultParts {
  command: string | null;
  columns: ColumnInfo[];
  kept: unknown[];
  /** True when pg already parsed the kept rows (buffered path); raw text otherwise (streamed). */
  parsed: boolean;
  rowCount: number | null;
  received: number;
  spill: SpilledRows | undefined;
}

export interface PgField {
  name: string;
  dataTypeID: number;
}
export interface PgResultLike {
  command: string | null;
  rowCount: number | null;
  fields: PgField[];
}

export function columnsOf(fields: PgField[] | undefined): ColumnInfo[] {
  return (fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, type: '' }));
}
