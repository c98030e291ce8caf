import type { DestructiveFinding, Verdict } from './classification.js';
import { Cursor } from './sql-cursor.js';
import type { SqlToken } from './sql-tokens.js';
import { isWord, nameText, splitTopLevel, tokensText, topLevelWord } from './token-scan.js';

/** Object kinds of more than one word, as DROP and ALTER name them. */
const MULTI_WORD_KINDS = [
  ['materialized', 'view'],
  ['foreign', 'table'],
  ['foreign', 'data', 'wrapper'],
  ['event', 'trigger'],
  ['text', 'search', 'configuration'],
  ['text', 'search', 'dictionary'],
  ['text', 'search', 'parser'],
  ['text', 'search', 'template'],
  ['operator', 'class'],
  ['operator', 'family'],
  ['user', 'mapping'],
  ['access', 'method'],
  ['large', 'object'],
];

/** The object kind after DROP/ALTER (`table`, `materialized view`), consumed from the cursor. */
function objectKind(c: Cursor): string {
  for (const words of MULTI_WORD_KINDS) if (c.accept(...words)) return words.join(' ');
  const w = c.word();
  if (w === undefined) return '';
  c.i++;
  return w;
}

/** A comma-separated list of names (function argument lists and `*` skipped), as text. */
function names(c: Cursor): string[] {
  const out: string[] = [];
  do {
    c.accept('only');
    const parts = c.name();
    if (!parts) break;
    out.push(nameText(parts));
    c.skipParens();
    while (c.tokens[c.i]?.kind === 'other') c.i++;
  } while (c.punct(','));
  return out;
}

const listText = (list: string[]): string =>
  list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;

const verdict = (command: string, destructive?: DestructiveFinding): Verdict => ({
  command,
  readOnly: false,
  destructive,
});

const HOLDS_DATA = new Set(['table', 'schema', 'database', 'materialized view', 'sequence']);

/** DROP anything (IF EXISTS too); DROP OWNED BY has its own kind. */
export function dropVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  if (c.accept('owned', 'by')) {
    return verdict('DROP', {
      kind: 'DROP_OWNED',
      reason: `DROP OWNED BY ${listText(names(c))} drops every object they own in this database and revokes their privileges`,
    });
  }
  const kind = objectKind(c);
  c.accept('concurrently');
  c.accept('if', 'exists');
  const list = names(c);
  const what = `DROP ${kind.toUpperCase()}${list.length ? ` ${listText(list)}` : ''}`;
  const it = list.length > 1 ? 'them' : 'it';
  const data = HOLDS_DATA.has(kind) ? ` with ${list.length > 1 ? 'their' : 'its'} data` : '';
  const cascade =
    topLevelWord(tokens, 'cascade') === -1
      ? ''
      : `, and with CASCADE every object that depends on ${it}`;
  return verdict('DROP', { kind: 'DROP', reason: `${what} removes ${it}${data}${cascade}` });
}

/** TRUNCATE [TABLE] [ONLY] a, b [CASCADE]. */
export function truncateVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  c.accept('table');
  const list = names(c);
  const cascade =
    topLevelWord(tokens, 'cascade') === -1
      ? ''
      : `, and with CASCADE of every table that references ${list.length > 1 ? 'them' : 'it'}`;
  return verdict('TRUNCATE', {
    kind: 'TRUNCATE',
    reason: `TRUNCATE removes every row of ${list.length ? listText(list) : 'the table'}${cascade}`,
  });
}

/** Kinds whose ALTER is `ALTER kind name action[, action…]`, so the actions can be read one by one. */
const ACTION_KINDS = new Set([
  'table',
  'foreign table',
  'view',
  'materialized view',
  'index',
  'sequence',
  'type',
  'domain',
  'role',
  'user',
  'group',
  'schema',
  'function',
  'procedure',
  'routine',
  'aggregate',
  'publication',
  'subscription',
  'extension',
  'database',
  'policy',
  'trigger',
  'rule',
  'server',
  'collation',
  'conversion',
  'language',
  'tablespace',
  'statistics',
  'event trigger',
]);

function dropWhat(kind: string, next: SqlToken | undefined): string {
  if (isWord(next, 'constraint'))
    return 'removes the constraint, so what it guarded is no longer checked';
  if (isWord(next, 'attribute')) return 'removes the attribute, also from every column of the type';
  if (kind === 'table' || kind === 'foreign table') return 'removes the column and its data';
  return 'removes it';
}

/** One action of ALTER kind name …: DROP …, DISABLE ROW LEVEL SECURITY, or harmless. */
function actionFinding(
  action: SqlToken[],
  kind: string,
  target: string,
): DestructiveFinding | undefined {
  const head = `ALTER ${kind.toUpperCase()} ${target} ${tokensText(action, 50)}`;
  if (isWord(action[0], 'drop')) {
    const next = action[1];
    // ALTER DOMAIN d DROP DEFAULT / DROP NOT NULL loosen nothing that holds data; on a table
    // `DROP identity` would name a column, which is why only domains get this exemption
    if (kind === 'domain' && (isWord(next, 'default') || isWord(next, 'not'))) return undefined;
    return { kind: 'ALTER_DROP', reason: `${head} ${dropWhat(kind, next)}` };
  }
  if (
    isWord(action[0], 'disable') &&
    isWord(action[1], 'row') &&
    isWord(action[2], 'level') &&
    isWord(action[3], 'security')
  ) {
    return {
      kind: 'DISABLE_RLS',
      reason: `${head}: its policies stop applying, so every role with table privileges (anon, authenticated) reads and changes every row`,
    };
  }
  return undefined;
}

/**
 * ALTER … DROP COLUMN/CONSTRAINT/ATTRIBUTE/… and DISABLE ROW LEVEL SECURITY are destructive;
 * RENAME, ADD, ALTER COLUMN … DROP DEFAULT/NOT NULL and the rest are not. Kinds whose syntax
 * is not read action by action count any top-level DROP.
 */
export function alterVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  if (c.accept('default', 'privileges')) {
    if (topLevelWord(tokens, 'revoke') === -1) return verdict('ALTER');
    return verdict('ALTER', {
      kind: 'REVOKE',
      reason:
        'ALTER DEFAULT PRIVILEGES … REVOKE: objects created from now on no longer get these privileges',
    });
  }
  const kind = objectKind(c);
  if (!ACTION_KINDS.has(kind)) {
    const drop = topLevelWord(tokens, 'drop', c.i);
    if (drop === -1) return verdict('ALTER');
    return verdict('ALTER', {
      kind: 'ALTER_DROP',
      reason: `ALTER ${kind.toUpperCase()} … ${tokensText(tokens.slice(drop), 50)} removes it`,
    });
  }
  c.accept('if', 'exists');
  c.accept('only');
  const parts = c.name();
  if (!parts) return verdict('ALTER'); // ALTER TABLE ALL IN TABLESPACE, ALTER ROLE ALL SET …
  while (c.tokens[c.i]?.kind === 'other') c.i++; // ONLY t *
  c.skipParens(); // ALTER FUNCTION f(int)
  const target = nameText(parts);
  for (const [s, e] of splitTopLevel(tokens, c.i)) {
    const finding = actionFinding(tokens.slice(s, e), kind, target);
    if (finding) return verdict('ALTER', finding);
  }
  return verdict('ALTER');
}

/** REVOKE … FROM roles: whatever relied on the privileges stops working. */
export function revokeVerdict(tokens: SqlToken[]): Verdict {
  const from = topLevelWord(tokens, 'from');
  const c = new Cursor(tokens);
  c.i = from + 1;
  const roles = from === -1 ? [] : names(c);
  const whom = roles.length ? ` from ${listText(roles)}` : '';
  return verdict('REVOKE', {
    kind: 'REVOKE',
    reason: `REVOKE takes privileges away${whom}; whatever relies on them (API requests, apps, other roles) stops working`,
  });
}

/** REASSIGN OWNED BY a TO b: every object of a changes hands at once. */
export function reassignVerdict(tokens: SqlToken[]): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  c.accept('owned', 'by');
  const from = listText(names(c));
  const to = c.accept('to') ? listText(names(c)) : 'another role';
  return verdict('REASSIGN', {
    kind: 'REASSIGN_OWNED',
    reason: `REASSIGN OWNED BY ${from} TO ${to} gives every object ${from} owns in this database to ${to}`,
  });
}
