import type { FailedStatementDetails } from './errors.js';
import { missingExtension } from './missing-extension.js';
import type { SplitStatement } from './split-statements.js';

/** The statement with a caret line under a 1-based position (like the Supabase CLI prints). */
export function caretExcerpt(statement: string, position: number | undefined): string {
  const lines = statement.split('\n');
  if (!position || position < 1) return statement;
  let pos = position;
  for (let j = 0; j < lines.length; j++) {
    const len = [...(lines[j] as string)].length;
    if (pos > len + 1) {
      pos -= len + 1;
      continue;
    }
    const start = Math.max(0, j - 3);
    return [...lines.slice(start, j + 1), `${' '.repeat(pos - 1)}^`].join('\n');
  }
  return statement;
}

/** 1-based line and column in the file for an offset plus a 1-based position in a statement. */
export function fileLineColumn(
  source: string,
  statementStart: number,
  position: number,
): { line: number; column: number } {
  // PostgreSQL positions count characters, JS indices UTF-16 units: walk code points
  const chars = [...source.slice(statementStart)];
  const upto = chars.slice(0, position - 1).join('');
  const before = source.slice(0, statementStart) + upto;
  const lines = before.split('\n');
  return { line: lines.length, column: [...(lines[lines.length - 1] as string)].length + 1 };
}

interface PgErrorLike {
  message?: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

export function describeStatementFailure(
  error: unknown,
  file: { version: string; file: string; sql: string },
  statements: SplitStatement[],
  index: number,
): FailedStatementDetails {
  const e = (error ?? {}) as PgErrorLike;
  const statement = statements[index];
  const position = e.position ? Number(e.position) : undefined;
  const details: FailedStatementDetails = {
    version: file.version,
    file: file.file,
    statementIndex: index,
    statementCount: statements.length,
    excerpt: statement ? caretExcerpt(statement.text, position) : '',
    serverMessage: e.message ?? String(error),
  };
  if (e.code) details.sqlstate = e.code;
  if (position !== undefined) {
    details.position = position;
    if (statement) Object.assign(details, fileLineColumn(file.sql, statement.start, position));
  }
  if (e.detail) details.detail = e.detail;
  if (e.hint) details.hint = e.hint;
  const extension = missingExtension(error);
  if (extension) details.missingExtension = extension;
  return details;
}

export function formatFailure(d: FailedStatementDetails): string {
  const where = d.line ? ` (line ${d.line}, column ${d.column})` : '';
  return (
    `Migration ${d.file} failed at statement ${d.statementIndex + 1} of ${d.statementCount}${where}: ` +
    `${d.serverMessage}${d.sqlstate ? ` [SQLSTATE ${d.sqlstate}]` : ''}` +
    `${d.detail ? `\nDetail: ${d.detail}` : ''}${d.hint ? `\nHint: ${d.hint}` : ''}\n${d.excerpt}\n` +
    `${d.missingExtension ? `${d.missingExtension.message}\n` : ''}`
  );
}
