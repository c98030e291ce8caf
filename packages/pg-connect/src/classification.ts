import type { SqlToken } from './sql-tokens.js';

/**
 * Why a statement needs a person's yes before it runs where data matters:
 * - `DROP`: any DROP, IF EXISTS included (DROP OWNED has its own kind);
 * - `TRUNCATE`: every row goes;
 * - `DELETE_WITHOUT_WHERE` / `UPDATE_WITHOUT_WHERE`: no top-level WHERE, a WHERE that is
 *   literally `true` or `1 = 1`, or a MERGE whose ON is always true and whose WHEN MATCHED
 *   THEN DELETE/UPDATE has no AND condition; data-modifying CTEs count;
 * - `ALTER_DROP`: ALTER … DROP COLUMN/CONSTRAINT/ATTRIBUTE/…, not DROP DEFAULT/NOT NULL;
 * - `DISABLE_RLS`: ALTER TABLE … DISABLE ROW LEVEL SECURITY (the API then sees every row);
 * - `REVOKE`: REVOKE, also in ALTER DEFAULT PRIVILEGES;
 * - `DROP_OWNED` / `REASSIGN_OWNED`: every object of a role at once;
 * - `OPAQUE_BLOCK`: a DO block (or dblink_exec) whose statements are not inspected;
 * - `COPY_PROGRAM`: COPY … PROGRAM runs a shell command on the database server;
 * - `DESTRUCTIVE_FUNCTION`: a call of pg_terminate_backend, pg_drop_replication_slot or lo_unlink.
 */
export type DestructiveKind =
  | 'DROP'
  | 'TRUNCATE'
  | 'DELETE_WITHOUT_WHERE'
  | 'UPDATE_WITHOUT_WHERE'
  | 'ALTER_DROP'
  | 'DISABLE_RLS'
  | 'REVOKE'
  | 'DROP_OWNED'
  | 'REASSIGN_OWNED'
  | 'OPAQUE_BLOCK'
  | 'COPY_PROGRAM'
  | 'DESTRUCTIVE_FUNCTION';

/** What makes a statement destructive, with a sentence for the person asked to confirm. */
export interface DestructiveFinding {
  kind: DestructiveKind;
  reason: string;
}

/** One statement of the text, as `classifyStatements` sees it. */
export interface ClassifiedStatement {
  /** Position among the non-empty statements, from 0. */
  index: number;
  /** The statement, trimmed, PASSWORD literals as ***, cut to 300 characters with `…`. */
  sql: string;
  /** The leading keyword in upper case (`SELECT`, `DROP`, …); for WITH, the main statement's. */
  command: string;
  /** True when the statement only reads: see the README for the exact rule. */
  readOnly: boolean;
  destructive?: DestructiveFinding;
}

/** The classification of one token range (a statement, a CTE body, an EXPLAIN target). */
export interface Verdict {
  command: string;
  readOnly: boolean;
  destructive?: DestructiveFinding | undefined;
}

/** State shared by the classification of one text. */
export interface ClassifyContext {
  /** Classifies a nested token range (CTE body, EXPLAIN/PREPARE/DECLARE/COPY target). */
  classify(tokens: SqlToken[]): Verdict;
  /** PREPAREd statements seen so far, so a later EXECUTE gets their verdict. */
  prepared: Map<string, Verdict>;
}
