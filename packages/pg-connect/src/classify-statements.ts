import { z } from 'zod';
import type { ClassifiedStatement, ClassifyContext, Verdict } from './classification.js';
import { classifyTokens } from './classify-tokens.js';
import { validate } from './errors.js';
import { redactSqlSecrets } from './sql.js';
import { type SqlToken, tokenizeStatements } from './sql-tokens.js';

const MAX_SQL_SHOWN = 300;
// CTEs, EXPLAIN, PREPARE and COPY nest statements; past this depth nobody wrote it by hand,
// so it is asked about instead of being read further
const MAX_NESTING = 32;

const sqlSchema = z.string();

/** At most MAX_SQL_SHOWN characters, `…` included, never cutting a surrogate pair in half. */
function shorten(text: string): string {
  if (text.length <= MAX_SQL_SHOWN) return text;
  let cut = MAX_SQL_SHOWN - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

function newContext(): ClassifyContext {
  let depth = 0;
  const ctx: ClassifyContext = {
    prepared: new Map(),
    classify(tokens: SqlToken[]): Verdict {
      if (depth >= MAX_NESTING) {
        return {
          command: 'UNKNOWN',
          readOnly: false,
          destructive: {
            kind: 'OPAQUE_BLOCK',
            reason: `statements nested more than ${MAX_NESTING} levels deep are not inspected`,
          },
        };
      }
      depth++;
      try {
        return classifyTokens(tokens, ctx);
      } finally {
        depth--;
      }
    },
  };
  return ctx;
}

/**
 * Splits SQL into statements as the server does (strings, E'' strings, dollar quotes, quoted
 * identifiers, nested comments, parentheses, BEGIN ATOMIC bodies) and classifies each: its
 * command, whether it only reads, and whether it is destructive and why. Function and DO
 * bodies are opaque: a DO block counts as destructive (`OPAQUE_BLOCK`), a TRUNCATE inside a
 * function body is not seen. Throws PgConnectValidationError when `sql` is not a string.
 */
export function classifyStatements(sql: string): ClassifiedStatement[] {
  const text = validate(sqlSchema, sql, 'SQL to classify');
  const ctx = newContext();
  return tokenizeStatements(text).map((stmt, index): ClassifiedStatement => {
    const v = ctx.classify(stmt.tokens);
    const out: ClassifiedStatement = {
      index,
      sql: shorten(redactSqlSecrets(stmt.text)),
      command: v.command,
      readOnly: v.readOnly,
    };
    if (v.destructive) {
      out.destructive = {
        kind: v.destructive.kind,
        reason: redactSqlSecrets(v.destructive.reason),
      };
    }
    return out;
  });
}

/** True when any statement of `sql` is destructive (see `classifyStatements`). */
export function isDestructive(sql: string): boolean {
  return classifyStatements(sql).some((s) => s.destructive !== undefined);
}
