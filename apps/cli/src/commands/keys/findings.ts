import type { Colors } from '../../output/colors.js';

export interface FindingView {
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** Absent for findings about the stack rather than one variable (doctor: names, domains). */
  variable?: string | undefined;
  message: string;
  fix: string;
}

const WIDTH = 7;

/** One finding: severity, its stable code and variable, the message, and the one-line fix. */
export function renderFinding(f: FindingView, c: Colors): string {
  const paint = f.severity === 'error' ? c.red : f.severity === 'warning' ? c.yellow : c.cyan;
  const subject = f.variable === undefined ? '' : ` ${f.variable}`;
  return `${paint(f.severity.padEnd(WIDTH))} ${c.bold(f.code)}${subject}: ${f.message}\n${' '.repeat(WIDTH + 1)}${c.cyan('fix:')} ${f.fix}`;
}

export function renderCounts(counts: Record<string, number>, c: Colors): string {
  const parts = [
    `${counts.error ?? 0} errors`,
    `${counts.warning ?? 0} warnings`,
    `${counts.info ?? 0} notes`,
  ];
  return (counts.error ?? 0) > 0 ? c.red(parts.join(', ')) : c.green(parts.join(', '));
}

/** The keys findings of @supaops/supabase-jwt, each with its variable. */
export function findingViews(
  findings: readonly (FindingView & { variable: string })[],
): Array<FindingView & { variable: string }> {
  return findings.map(({ code, severity, variable, message, fix }) => ({
    code,
    severity,
    variable,
    message,
    fix,
  }));
}
