// A keyword classifier over statements already split by @supaops/migrator's splitStatements.
// Neither pg-connect nor migrator classifies statements, so this small one lives here; it errs on
// the side of asking (a WHERE anywhere in an UPDATE/DELETE counts as one, comments are ignored).

export type DestructiveKind =
  | 'DROP'
  | 'TRUNCATE'
  | 'DELETE_WITHOUT_WHERE'
  | 'UPDATE_WITHOUT_WHERE'
  | 'ALTER_DROP';

export interface DestructiveStatement {
  index: number;
  kind: DestructiveKind;
  sql: string;
}

/** The statement without its comments, string literals and quoted identifiers, in upper case. */
function skeleton(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, 'X')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

export function classifyStatement(sql: string): DestructiveKind | undefined {
  const s = skeleton(sql);
  if (/^DROP\b/.test(s)) return 'DROP';
  if (/^TRUNCATE\b/.test(s)) return 'TRUNCATE';
  if (/^(WITH\b.*\)\s*)?DELETE\b/.test(s) && !/\bWHERE\b/.test(s)) return 'DELETE_WITHOUT_WHERE';
  if (/^(WITH\b.*\)\s*)?UPDATE\b/.test(s) && !/\bWHERE\b/.test(s)) return 'UPDATE_WITHOUT_WHERE';
  if (/^ALTER\b.*\bDROP\b/.test(s)) return 'ALTER_DROP';
  return undefined;
}

export function destructiveStatements(statements: readonly string[]): DestructiveStatement[] {
  const out: DestructiveStatement[] = [];
  statements.forEach((sql, index) => {
    const kind = classifyStatement(sql);
    if (kind) out.push({ index, kind, sql: sql.length > 300 ? `${sql.slice(0, 300)}…` : sql });
  });
  return out;
}
