/** Quotes an SQL identifier (role, schema, table) the way Postgres's quote_ident does. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function quoteLiteral(value: string): string {
  const escaped = value.replaceAll("'", "''");
  return value.includes('\\') ? ` E'${escaped.replaceAll('\\', '\\\\')}'`.trim() : `'${escaped}'`;
}

/** Replaces `PASSWORD '...'` literals in SQL text shown to people (pg_stat_activity, errors). */
export function redactSqlSecrets(sql: string): string {
  return sql.replace(/(password\s+)(E?'(?:[^']|'')*'?)/gi, '$1***');
}
