import type { ClassifyContext, DestructiveFinding, Verdict } from './classification.js';
import {
  alterVerdict,
  dropVerdict,
  reassignVerdict,
  revokeVerdict,
  truncateVerdict,
} from './classify-ddl.js';
import { deleteVerdict, mergeVerdict, updateVerdict } from './classify-dml.js';
import { declareVerdict, explainVerdict, queryVerdict, withVerdict } from './classify-query.js';
import { functionEffects } from './side-effect-functions.js';
import { Cursor } from './sql-cursor.js';
import type { SqlToken } from './sql-tokens.js';
import {
  closingParen,
  findTopLevel,
  isPunct,
  isWord,
  topLevelWord,
  unwrapParens,
} from './token-scan.js';

/** Commands that only read: SHOW, and reading from a cursor whose DECLARE was classified. */
const READS = new Set(['show', 'fetch', 'move', 'close']);
const QUERIES = new Set(['select', 'values', 'table']);

const OPAQUE_DO: DestructiveFinding = {
  kind: 'OPAQUE_BLOCK',
  reason:
    'DO runs an anonymous code block whose statements are not inspected, so it may change or remove anything: review its body',
};

const prefixed = (
  what: string,
  d: DestructiveFinding | undefined,
): DestructiveFinding | undefined => d && { kind: d.kind, reason: `${what}: ${d.reason}` };

/** COPY (query) TO …, COPY t FROM|TO …: never read-only; PROGRAM runs a shell command. */
function copyVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  let rest = 1;
  let inner: Verdict | undefined;
  if (isPunct(tokens[1], '(')) {
    const close = closingParen(tokens, 1);
    inner = ctx.classify(tokens.slice(2, close));
    rest = close + 1;
  }
  const program = findTopLevel(
    tokens,
    (t, i) => (isWord(t, 'from') || isWord(t, 'to')) && isWord(tokens[i + 1], 'program'),
    rest,
  );
  const destructive: DestructiveFinding | undefined =
    program === -1
      ? prefixed('COPY runs its query', inner?.destructive)
      : {
          kind: 'COPY_PROGRAM',
          reason: 'COPY … PROGRAM runs a shell command on the database server',
        };
  return { command: 'COPY', readOnly: false, destructive };
}

/** CREATE TABLE … AS / CREATE MATERIALIZED VIEW … AS run their query now; other CREATEs do not. */
function createVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const c = new Cursor(tokens);
  c.i = 1;
  for (const w of ['or', 'replace', 'global', 'local', 'temp', 'temporary', 'unlogged'])
    c.accept(w);
  const runsQuery = c.accept('table') || c.accept('materialized', 'view');
  const as = runsQuery ? topLevelWord(tokens, 'as', c.i) : -1;
  if (as === -1) return { command: 'CREATE', readOnly: false };
  const inner = ctx.classify(tokens.slice(as + 1));
  return {
    command: 'CREATE',
    readOnly: false,
    destructive: prefixed('CREATE … AS runs its query', inner.destructive),
  };
}

/** PREPARE name AS statement: remembered for EXECUTE, destructive when the statement is. */
function prepareVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const name = tokens[1];
  const as = topLevelWord(tokens, 'as', 2);
  if (isWord(name, 'transaction') || as === -1 || name === undefined) {
    return { command: 'PREPARE', readOnly: false };
  }
  const inner = ctx.classify(tokens.slice(as + 1));
  ctx.prepared.set(name.value, inner);
  return {
    command: 'PREPARE',
    readOnly: false,
    destructive: prefixed(
      `PREPARE ${name.value} holds a statement that EXECUTE runs`,
      inner.destructive,
    ),
  };
}

/** EXECUTE name: what its PREPARE in the same text was; unknown (not read-only) otherwise. */
function executeVerdict(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const name = tokens[1];
  const prepared = name ? ctx.prepared.get(name.value) : undefined;
  const effects = functionEffects(tokens);
  return {
    command: 'EXECUTE',
    readOnly: (prepared?.readOnly ?? false) && effects.writes === undefined,
    destructive:
      prefixed(
        `EXECUTE ${name?.value} runs the prepared ${prepared?.command}`,
        prepared?.destructive,
      ) ?? effects.destroys,
  };
}

/** A statement (or a nested one) whose first token starts with a parenthesis. */
function parenthesized(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const inner = unwrapParens(tokens);
  if (inner !== tokens) return ctx.classify(inner);
  // (SELECT …) UNION (SELECT …): a query named by its first word
  const first = tokens.find((t) => t.kind === 'word');
  if (first && QUERIES.has(first.value)) return queryVerdict(tokens, first.value.toUpperCase());
  return { command: first ? first.value.toUpperCase() : 'UNKNOWN', readOnly: false };
}

/** The verdict of one statement's tokens (comments and the final `;` already gone). */
export function classifyTokens(tokens: SqlToken[], ctx: ClassifyContext): Verdict {
  const first = tokens[0];
  if (isPunct(first, '(')) return parenthesized(tokens, ctx);
  if (first?.kind !== 'word') return { command: 'UNKNOWN', readOnly: false };
  const command = first.value.toUpperCase();
  switch (first.value) {
    case 'select':
    case 'values':
    case 'table':
      return queryVerdict(tokens, command);
    case 'with':
      return withVerdict(tokens, ctx);
    case 'explain':
      return explainVerdict(tokens, ctx);
    case 'declare':
      return declareVerdict(tokens, ctx);
    case 'delete':
      return deleteVerdict(tokens);
    case 'update':
      return updateVerdict(tokens);
    case 'merge':
      return mergeVerdict(tokens);
    case 'drop':
      return dropVerdict(tokens);
    case 'truncate':
      return truncateVerdict(tokens);
    case 'alter':
      return alterVerdict(tokens);
    case 'revoke':
      return revokeVerdict(tokens);
    case 'reassign':
      return reassignVerdict(tokens);
    case 'do':
      return { command, readOnly: false, destructive: OPAQUE_DO };
    case 'copy':
      return copyVerdict(tokens, ctx);
    case 'create':
      return createVerdict(tokens, ctx);
    case 'prepare':
      return prepareVerdict(tokens, ctx);
    case 'execute':
      return executeVerdict(tokens, ctx);
    case 'insert':
    case 'call':
      // their expressions run now: a pg_terminate_backend() among them still counts
      return { command, readOnly: false, destructive: functionEffects(tokens).destroys };
    default:
      return { command, readOnly: READS.has(first.value) };
  }
}
