import type { ClassifyContext, DestructiveFinding, Verdict } from './classification.js';
import { functionEffects } from './side-effect-functions.js';
import type { SqlToken } from './sql-tokens.js';
import { closingParen, isPunct, isWord, splitTopLevel, topLevelWord } from './token-scan.js';

/** FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE at any depth: row locks need a writable transaction. */
function hasLockingClause(tokens: SqlToken[]): boolean {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!isWord(tokens[i], 'for')) continue;
    const a = tokens[i + 1];
    const b = tokens[i + 2];
    if (isWord(a, 'update') || isWord(a, 'share')) return true;
    if (isWord(a, 'key') && isWord(b, 'share')) return true;
    if (isWord(a, 'no') && isWord(b, 'key') && isWord(tokens[i + 3], 'update')) return true;
  }
  return false;
}

/**
 * SELECT, VALUES, TABLE (also parenthesized and in set operations): read-only unless it
 * creates a table (SELECT … INTO), locks rows, or calls a function known to write.
 */
export function queryVerdict(tokens: SqlToken[], command: string): Verdict {
  const effects = functionEffects(tokens);
  const into = command === 'SELECT' && topLevelWord(tokens, 'into') !== -1;
  return {
    command,
    readOnly: !into && !hasLockingClause(tokens) && effects.writes === undefined,
    destructive: effects.destroys,
  };
}

const MAIN_STARTS = new Set(['select', 'insert', 'update', 'delete', 'merge', 'values', 'table']);

const within = (what: string, d: DestructiveFinding | undefined): DestructiveFinding | undefined =>
  d && { kind: d.kind, reason: `${what}: ${d.reason}` };

/**
 * WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (body) [SEARCH|CYCLE …], … main:
 * each CTE body is classified like a statement, so a data-modifying CTE makes the whole
 * statement a write (and a DELETE without WHERE in one makes it destructive), whatever the
 * main statement is.
 */
export function withVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const unparsed: Verdict = { command: 'WITH', readOnly: false };
  let i = isWord(tokens[1], 'recursive') ? 2 : 1;
  const ctes: { name: string; verdict: Verdict }[] = [];
  // every round moves i past one CTE's closing parenthesis, so the loop ends
  for (;;) {
    const name = tokens[i];
    if (name?.kind !== 'word' && name?.kind !== 'ident') return unparsed;
    let j = i + 1;
    if (isPunct(tokens[j], '(')) j = closingParen(tokens, j) + 1;
    if (!isWord(tokens[j], 'as')) return unparsed;
    j++;
    if (isWord(tokens[j], 'not')) j++;
    if (isWord(tokens[j], 'materialized')) j++;
    if (!isPunct(tokens[j], '(')) return unparsed;
    const close = closingParen(tokens, j);
    ctes.push({ name: name.value, verdict: ctx.classify(tokens.slice(j + 1, close)) });
    j = close + 1;
    // SEARCH … SET col / CYCLE … SET col [TO v DEFAULT d] USING path: no parentheses
    while (j < tokens.length) {
      const t = tokens[j]!;
      if (isPunct(t, ',') || isPunct(t, '(') || (t.kind === 'word' && MAIN_STARTS.has(t.value)))
        break;
      j++;
    }
    if (!isPunct(tokens[j], ',')) {
      i = j;
      break;
    }
    i = j + 1;
  }
  if (i >= tokens.length) return unparsed;
  const main = ctx.classify(tokens.slice(i));
  const cte = ctes.find((c) => c.verdict.destructive);
  return {
    command: main.command,
    readOnly: main.readOnly && ctes.every((c) => c.verdict.readOnly),
    destructive: cte ? within(`in WITH ${cte.name}`, cte.verdict.destructive) : main.destructive,
  };
}

const FALSE_VALUES = new Set(['false', 'off', '0']);

/**
 * EXPLAIN only plans, so it is read-only and never destructive; EXPLAIN ANALYZE runs the
 * statement and is exactly as read-only and destructive as it.
 */
export function explainVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  let i = 1;
  let analyze = false;
  if (isPunct(tokens[1], '(')) {
    const close = closingParen(tokens, 1);
    for (const [s, e] of splitTopLevel(tokens, 2, close)) {
      if (!isWord(tokens[s], 'analyze') && !isWord(tokens[s], 'analyse')) continue;
      const value = s + 1 < e ? tokens[s + 1] : undefined;
      analyze = value === undefined || !FALSE_VALUES.has(value.value);
    }
    i = close + 1;
  } else {
    if (isWord(tokens[i], 'analyze') || isWord(tokens[i], 'analyse')) {
      analyze = true;
      i++;
    }
    if (isWord(tokens[i], 'verbose')) i++;
  }
  if (!analyze) return { command: 'EXPLAIN', readOnly: true };
  const inner = ctx.classify(tokens.slice(i));
  return {
    command: 'EXPLAIN',
    readOnly: inner.readOnly,
    destructive: within('EXPLAIN ANALYZE runs the statement', inner.destructive),
  };
}

/** DECLARE c … CURSOR … FOR query: as read-only as its query (FETCH and MOVE then only read). */
export function declareVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const forAt = topLevelWord(tokens, 'for', 2);
  if (forAt === -1) return { command: 'DECLARE', readOnly: false };
  const inner = ctx.classify(tokens.slice(forAt + 1));
  return { command: 'DECLARE', readOnly: inner.readOnly, destructive: inner.destructive };
}
