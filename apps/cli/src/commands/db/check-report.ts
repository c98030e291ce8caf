import type { Colors } from '../../output/colors.js';

export interface DiagnosticView {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix: string;
}

export interface NetworkView {
  resolves: boolean;
  inContainer: boolean;
  addresses: string[];
  summary: string;
  alternatives: Array<{
    kind: string;
    description: string;
    commands: string[];
    connection: string;
  }>;
}

/** Diagnostics with their code and fix, then the network path and its alternatives. */
export function renderConnectionReport(
  report: { diagnostics: DiagnosticView[]; network: NetworkView },
  c: Colors,
): string {
  const lines: string[] = [];
  for (const d of report.diagnostics) {
    const paint = d.severity === 'error' ? c.red : d.severity === 'warning' ? c.yellow : c.cyan;
    lines.push(`${paint(d.severity.padEnd(7))} ${c.bold(d.code)} ${d.message}`);
    lines.push(`        ${c.cyan('fix:')} ${d.fix}`);
  }
  const net = report.network;
  lines.push(`${net.resolves ? c.green('network') : c.red('network')} ${net.summary}`);
  for (const alt of net.alternatives) {
    lines.push(`  ${c.bold(alt.kind)}: ${alt.description}`);
    for (const command of alt.commands) lines.push(`    $ ${command}`);
    if (alt.connection) lines.push(`    then connect with: ${alt.connection}`);
  }
  return lines.join('\n');
}
