import type { CommandDef } from '../../command.js';
import { optBool, optString } from '../../command.js';
import { usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { instanceFlags, parseInteger, writeFileAtomic } from '../shared.js';
import { readEnvInput } from './env-input.js';
import { findingViews, renderCounts, renderFinding } from './findings.js';

export const keysRepair: CommandDef = {
  name: 'repair',
  description:
    'Plan the repair of broken keys (re-signed keys, a new secret when it is unsound); --write applies it to the file, leaving every other line as it was; --instance repairs a Dokploy compose in place and redeploys',
  options: [
    {
      flags: '--env <file>',
      description: 'the self-hosted .env to repair (- = stdin, plan only)',
      complete: 'file',
    },
    { flags: '--write', description: 'apply the plan to the --env file' },
    {
      flags: '--expires-in <duration>',
      description: 'lifetime of re-signed keys (seconds, or 90d, 5y)',
      default: '5y',
    },
    {
      flags: '-i, --instance <name>',
      description: "repair the instance's Dokploy compose: env, https domain, redeploy, validate",
    },
    { flags: '--dry-run', description: 'with --instance: show the masked env diff only' },
    { flags: '-y, --yes', description: 'with --instance: apply without asking' },
    {
      flags: '--validate-via <url>',
      description: 'with --instance: send the post-deploy checks here (a tunnel to the gateway)',
    },
    {
      flags: '--poll-interval <ms>',
      description: 'with --instance: pause between deployment status polls',
      parse: parseInteger(5),
    },
  ],
  examples: [
    {
      command: 'supaops keys repair --env .env',
      description: 'print what would change (values hidden)',
    },
    { command: 'supaops keys repair --env .env --write', description: 'apply the plan to .env' },
    {
      command: 'supaops keys repair --instance prod --dry-run',
      description: "the env diff of prod's Dokploy compose (masked)",
    },
    {
      command: 'supaops keys repair --instance prod --yes',
      description: 'write, redeploy and validate',
    },
  ],
  audit: true,
  async action(ctx, command) {
    const { options } = command;
    const flags = instanceFlags(command);
    if (flags.instance) {
      if (optString(options.env)) {
        throw usageError(
          'REPAIR_SOURCE_CONFLICT',
          'Both --env and --instance were given.',
          "Pass --env FILE to repair an .env, or --instance NAME to repair the instance's Dokploy compose.",
        );
      }
      const { repairInstance } = await import('./repair-instance.js');
      return repairInstance(ctx, flags, options);
    }
    const write = optBool(options.write);
    const envFlag = optString(options.env);
    if (write && (!envFlag || envFlag === '-')) {
      throw usageError(
        'REPAIR_WRITE_NEEDS_FILE',
        '--write needs the .env file to change.',
        'Pass --env FILE together with --write.',
      );
    }
    const input = await readEnvInput(ctx, { env: envFlag });
    const [{ planKeyRepair }, selfhost] = await Promise.all([
      import('@supaops/supabase-jwt'),
      import('@supaops/selfhost/env'),
    ]);
    // ciphertext (Dokploy's enc:v1:) or lines compose cannot read are refused before any plan
    if (write && input.text !== undefined) selfhost.assertEnvWritable(input.text);
    const plan = await planKeyRepair(input.env, {
      expiresIn: optString(options.expiresIn) ?? '5y',
    });
    // the new values never reach the screen or the JSON, only the file
    ctx.redactor.add(...Object.values(plan.changes));
    const changed = Object.keys(plan.changes);
    let written: string | undefined;
    if (write && plan.needed && input.file && input.text !== undefined) {
      written = await writeFileAtomic(
        ctx,
        input.file,
        selfhost.setEnvValues(input.text, plan.changes),
      );
    } else if (!write) {
      ctx.audit.outcome = 'dry-run';
    }
    const findings = findingViews(plan.findings);
    const after = {
      ok: plan.after.ok,
      counts: plan.after.counts,
      findings: findingViews(plan.after.findings),
    };
    const data = {
      source: input.source,
      ...(input.file ? { file: input.file } : {}),
      needed: plan.needed,
      rotateSecret: plan.rotateSecret,
      changes: changed,
      summary: plan.summary,
      consequences: plan.consequences,
      findings,
      after,
      written: written !== undefined,
    };
    const exitCode =
      !plan.needed || (written && after.ok) ? EXIT_CODES.ok : EXIT_CODES.failedChecks;
    return {
      data,
      exitCode,
      human: (c) => {
        if (!plan.needed) return `${c.green('ok')}: nothing to repair.`;
        const lines = findings.map((f) => renderFinding(f, c));
        lines.push('', c.bold(written ? `Changed in ${written}:` : 'Plan (values hidden):'));
        for (const line of plan.summary) lines.push(`  ${line}`);
        if (plan.rotateSecret)
          lines.push(c.yellow('  JWT_SECRET is rotated: every user signs in again.'));
        const { restartServices, clientsToUpdate, notes } = plan.consequences;
        if (restartServices.length) lines.push(`Restart: ${restartServices.join(', ')}`);
        if (clientsToUpdate.length) lines.push(`Update: ${clientsToUpdate.join('; ')}`);
        for (const note of notes) lines.push(`Note: ${note}`);
        lines.push(`After the repair: ${renderCounts(after.counts, c)}`);
        if (!written) lines.push(c.dim('Run again with --write to apply it to the file.'));
        return lines.join('\n');
      },
    };
  },
};
