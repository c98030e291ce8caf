import type { DestructiveFinding, DestructiveKind, Verdict } from './classification.js';
import { functionEffects } from './side-effect-functions.js';
import { Cursor } from './sql-cursor.js';
import type { SqlToken } from './sql-tokens.js';
import { isAlwaysTrue, isWord, nameText, tokensText, topLevelWord } from './token-scan.js';

type Verb = 'DELETE' | 'UPDATE';

const KIND: Record<Verb, DestructiveKind> = {
  DELETE: 'DELETE_WITHOUT_WHERE',
  UPDATE: 'UPDATE_WITHOUT_WHERE',
};

const effect = (verb: Verb, table: string): string =>
  verb === 'DELETE' ? `removes every row of ${table}` : `changes every row of ${table}`;

/** `[ONLY] name`: the target table as written, after the cursor. */
function targetName(c: Cursor): string {
  c.accept('only');
  const parts = c.name();
  return parts ? nameText(parts) : 'the table';
}

/**
 * No WHERE of the statement itself (a WHERE in a subquery or a SET expression is nested in
 * parentheses and does not count), or one that is literally always true.
 */
function whereFinding(
  tokens: SqlToken[],
  verb: Verb,
  table: string,
): DestructiveFinding | undefined {
  const where = topLevelWord(tokens, 'where');
  if (where === -1) {
    return { kind: KIND[verb], reason: `${verb} without a WHERE clause ${effect(verb, table)}` };
  }
  const end = topLevelWord(tokens, 'returning', where + 1);
  const condition = tokens.slice(where + 1, end === -1 ? undefined : end);
  if (!isAlwaysTrue(condition)) return undefined;
  return {
    kind: KIND[verb],
    reason: `${verb} … WHERE ${tokensText(condition)}: WHERE is always true, so it ${effect(verb, table)}`,
  };
}

/** DELETE FROM [ONLY] t [USING …] [WHERE …] [RETURNING …]. */
export function deleteVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  c.accept('from');
  const table = targetName(c);
  return {
    command: 'DELETE',
    readOnly: false,
    destructive: whereFinding(tokens, 'DELETE', table) ?? functionEffects(tokens).destroys,
  };
}

/** UPDATE [ONLY] t SET … [FROM …] [WHERE …] [RETURNING …]. */
export function updateVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  const table = targetName(c);
  return {
    command: 'UPDATE',
    readOnly: false,
    destructive: whereFinding(tokens, 'UPDATE', table) ?? functionEffects(tokens).destroys,
  };
}

/**
 * MERGE INTO t USING s ON cond WHEN …: with an always-true ON, every target row matches, so
 * an unconditional WHEN MATCHED THEN DELETE (UPDATE) reaches every row.
 */
export function mergeVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  c.accept('into');
  const table = targetName(c);
  const verdict = (destructive?: DestructiveFinding): Verdict => ({
    command: 'MERGE',
    readOnly: false,
    destructive: destructive ?? functionEffects(tokens).destroys,
  });
  const using = topLevelWord(tokens, 'using', c.i);
  const on = using === -1 ? -1 : topLevelWord(tokens, 'on', using + 1);
  const firstWhen = on === -1 ? -1 : topLevelWord(tokens, 'when', on + 1);
  if (firstWhen === -1) return verdict();
  const condition = tokens.slice(on + 1, firstWhen);
  if (!isAlwaysTrue(condition)) return verdict();
  for (let w = firstWhen; w !== -1; w = topLevelWord(tokens, 'when', w + 1)) {
    if (!isWord(tokens[w + 1], 'matched') || !isWord(tokens[w + 2], 'then')) continue;
    const action = tokens[w + 3];
    const verb: Verb | undefined = isWord(action, 'delete')
      ? 'DELETE'
      : isWord(action, 'update')
        ? 'UPDATE'
        : undefined;
    if (verb) {
      return verdict({
        kind: KIND[verb],
        reason: `MERGE … ON ${tokensText(condition)} … WHEN MATCHED THEN ${verb}: the join condition is always true, so it ${effect(verb, table)}`,
      });
    }
  }
  return verdict();
}
