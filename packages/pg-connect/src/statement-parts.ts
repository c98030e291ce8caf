import type { ColumnInfo, StatementResultInit } from './result.js';

/** What one statement produced, before it becomes a StatementResult (its rowMode apart). */
export type StatementResultParts = Omit<StatementResultInit, 'rowMode'>;

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
