import type { CommandDef } from '../../command.js';
import { optString } from '../../command.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { readEnvInput } from './env-input.js';
import { findingViews, renderCounts, renderFinding } from './findings.js';

export const keysCheck: CommandDef = {
  name: 'check',
  description:
    'Diagnose JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY, the ES256 keys and the sb_ keys: every finding with its code and fix',
  options: [
    { flags: '--env <file>', description: 'a self-hosted .env (- = stdin)', complete: 'file' },
    { flags: '-i, --instance <name>', description: 'the api keys of a configured instance' },
  ],
  examples: [
    {
      command: 'supaops keys check --env .env',
      description: 'check the keys of a self-hosted .env',
    },
    {
      command: 'supaops keys check --instance prod',
      description: 'check the keys configured for an instance',
    },
    {
      command: 'supaops keys generate --json | supaops keys check',
      description: 'check keys piped in',
    },
  ],
  async action(ctx, { options }) {
    const input = await readEnvInput(ctx, {
      env: optString(options.env),
      instance: optString(options.instance),
    });
    const { diagnoseKeys } = await import('@supaops/supabase-jwt');
    const diagnosis = diagnoseKeys(input.env);
    const findings = findingViews(diagnosis.findings);
    return {
      data: {
        source: input.source,
        ...(input.file ? { file: input.file } : {}),
        ok: diagnosis.ok,
        counts: diagnosis.counts,
        findings,
      },
      human: (c) =>
        [
          ...findings.map((f) => renderFinding(f, c)),
          `${diagnosis.ok ? c.green('ok') : c.red('failed')}: ${renderCounts(diagnosis.counts, c)}`,
          ...(diagnosis.ok || input.source !== 'file'
            ? []
            : [c.dim(`repair: supaops keys repair --env ${input.file} --write`)]),
        ].join('\n'),
      exitCode: diagnosis.ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
    };
  },
};
