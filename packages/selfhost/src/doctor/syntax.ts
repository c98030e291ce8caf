import { DOKPLOY_INJECTED_VARIABLES, ENV_VARIABLES } from '../env/schema/table.js';
import type { EnvIssueKind } from '../env/types.js';
import type { Check } from './context.js';
import { type DoctorFinding, type DoctorFindingCode, finding } from './finding.js';

const CODE_OF: Record<EnvIssueKind, DoctorFindingCode> = {
  'invalid-line': 'ENV_SYNTAX_ERROR',
  'unterminated-quote': 'ENV_SYNTAX_ERROR',
  'text-after-quote': 'ENV_SYNTAX_ERROR',
  'duplicate-key': 'ENV_DUPLICATE_KEY',
  'inherited-key': 'ENV_INHERITED_KEY',
  'undefined-reference': 'ENV_UNDEFINED_REFERENCE',
  'invalid-interpolation': 'ENV_INTERPOLATION_ERROR',
  'required-reference': 'ENV_INTERPOLATION_ERROR',
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length] as number;
}

const KNOWN = Object.keys(ENV_VARIABLES);

/** The known name an unknown one is probably a typo of (JWT_EXP for JWT_EXPIRY, templates#70). */
export function closestVariable(name: string): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const known of KNOWN) {
    const prefix =
      known.length - name.length <= 4 && known.length > name.length && known.startsWith(name);
    const score = prefix ? 1 : distance(name, known);
    if (score < bestScore) {
      best = known;
      bestScore = score;
    }
  }
  return bestScore <= 2 ? best : undefined;
}

/**
 * What the parser found in env text (lines compose refuses, duplicate keys, bare keys,
 * interpolation surprises) and variables neither file knows.
 */
export const checkSyntax: Check = (ctx) => {
  const out: DoctorFinding[] = [];
  for (const issue of ctx.doc?.issues ?? []) {
    out.push(
      finding(CODE_OF[issue.kind], `Line ${issue.line}: ${issue.message}.`, {
        ...(issue.key === undefined ? {} : { variable: issue.key }),
      }),
    );
  }
  for (const name of Object.keys(ctx.env)) {
    if (Object.hasOwn(ENV_VARIABLES, name) || DOKPLOY_INJECTED_VARIABLES.includes(name)) continue;
    const guess = closestVariable(name);
    out.push(
      finding(
        'ENV_UNKNOWN_VARIABLE',
        guess
          ? `${name} is not read by the upstream or the Dokploy compose; did you mean ${guess}?`
          : `${name} is not read by the upstream or the Dokploy compose.`,
        { variable: name },
      ),
    );
  }
  return out;
};
