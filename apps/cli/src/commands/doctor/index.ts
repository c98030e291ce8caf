import type { CommandDef } from '../../command.js';
import { optString } from '../../command.js';
import type { Colors } from '../../output/colors.js';
import { renderCounts, renderFinding } from '../keys/findings.js';
import { instanceFlags } from '../shared.js';
import { assertOneSource, type DoctorRun, doctorOffline, doctorOnline } from './source.js';

function render(run: DoctorRun, c: Colors): string {
  const { result } = run;
  const target = result.target
    ? `compose ${result.target.composeId}${result.target.appName ? ` (${result.target.appName})` : ''}${result.target.dokployVersion ? `, Dokploy ${result.target.dokployVersion}` : ''}`
    : (run.file ?? run.source);
  const lines = [
    c.dim(`doctor (${result.mode}): ${run.instance ? `${run.instance}, ` : ''}${target}`),
  ];
  lines.push(...result.findings.map((f) => renderFinding(f, c)));
  if (result.skipped.length > 0) {
    lines.push(
      c.dim(`not checked: ${result.skipped.map((s) => `${s.check} (${s.reason})`).join('; ')}`),
    );
  }
  const { errors, warnings, infos } = result.summary;
  const counts = renderCounts({ error: errors, warning: warnings, info: infos }, c);
  lines.push(`${result.exitCode === 0 ? c.green('ok') : c.red('failed')}: ${counts}`);
  return lines.join('\n');
}

export const doctorCommand: CommandDef = {
  name: 'doctor',
  description:
    "Check a self-hosted Supabase config: an .env offline, or an instance's Dokploy compose online; every finding with its code and fix",
  options: [
    { flags: '--env <file>', description: 'check this .env offline (- = stdin)', complete: 'file' },
    {
      flags: '--compose-file <file>',
      description: "the stack's docker-compose.yml (default: the Dokploy template's services)",
      complete: 'file',
    },
    {
      flags: '--no-database',
      description: "online: skip the pool-size check against the instance's database",
    },
  ],
  database: true,
  examples: [
    {
      command: 'supaops doctor --env .env',
      description: 'demo keys, http URLs, fake SMTP, placeholders, …',
    },
    {
      command: 'supaops doctor --env .env --db-url "$DATABASE_URL"',
      description: 'and the pool size against max_connections',
    },
    {
      command: 'supaops doctor --instance prod --json',
      description: "read prod's Dokploy compose (env, domains, names)",
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const flags = instanceFlags(input);
    const env = optString(options.env);
    assertOneSource(env, flags);
    if (flags.dbUrl) {
      const { parseConnectionTarget, redactConnectionString } = await import('@supaops/pg-connect');
      ctx.redactor.useConnectionRedactor(redactConnectionString);
      try {
        ctx.redactor.add(parseConnectionTarget(flags.dbUrl).password);
      } catch {
        // a malformed URL is reported by the pool-size check as DATABASE_UNREACHABLE
      }
    }
    const run = env
      ? await doctorOffline(ctx, env, {
          database: flags.dbUrl,
          composeFile: optString(options.composeFile),
        })
      : await doctorOnline(ctx, flags, options.database !== false);
    const { result, ...source } = run;
    return {
      data: { ...source, ...result },
      exitCode: result.exitCode,
      human: (c) => render(run, c),
    };
  },
};
