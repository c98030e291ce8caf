import type { CommandResult } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext, InstanceFlags } from '../../context.js';
import { EXIT_CODES } from '../../exit-codes.js';
import {
  historyDir,
  instanceCompose,
  validateViaFetch,
  validationData,
} from '../dokploy-access.js';

/**
 * `keys repair --instance NAME`: selfhost's planRepair on the instance's Dokploy compose (keys
 * re-signed, URLs and https from the domain), the masked env diff, a confirmation, then
 * applyRepair: every write recorded first, the env written byte-preserving, redeploy, validation.
 */
export async function repairInstance(
  ctx: CommandContext,
  flags: InstanceFlags,
  options: Record<string, unknown>,
): Promise<CommandResult> {
  const { instance, dokploy, client } = await instanceCompose(ctx, flags, 'keys repair');
  const { applyRepair, createHistoryStore, planRepair, repairPlanEnv } = await import(
    '@supaops/selfhost'
  );
  const plan = await planRepair({ client, composeId: dokploy.composeId });
  // the texts hold every secret of the compose: none may reach the screen
  const texts = repairPlanEnv(plan);
  const { isSecretVariable, parseEnv, toEnvRecord } = await import('@supaops/selfhost');
  for (const text of [texts.before, texts.after]) {
    for (const [key, value] of Object.entries(
      toEnvRecord(parseEnv(text, { interpolate: false })),
    )) {
      if (isSecretVariable(key) && value.length >= 8) ctx.redactor.add(value);
    }
  }
  const dryRun = optBool(options.dryRun);
  const history = await historyDir(ctx, dokploy.serverName);
  if (plan.needed && !dryRun) {
    if (!ctx.globals.json) ctx.info(plan.diffText.trimEnd());
    await ctx.confirm(
      `Write ${plan.changedKeys.length} variables${plan.domain ? ' and the domain' : ''} of "${instance.name}" and redeploy?`,
      optBool(options.yes),
    );
  }
  if (dryRun) ctx.audit.outcome = 'dry-run';
  const fetch = validateViaFetch(optString(options.validateVia));
  const poll = optNumber(options.pollInterval);
  const result =
    plan.needed && !dryRun
      ? await applyRepair(plan, {
          client,
          history: createHistoryStore(history),
          signal: ctx.signal,
          ...(fetch ? { fetch } : {}),
          ...(poll ? { pollMs: poll, validateRetryMs: Math.min(3000, poll * 10) } : {}),
        })
      : undefined;
  const validation = result?.validation ? validationData(result.validation) : undefined;
  const data = {
    source: 'instance' as const,
    instance: instance.name,
    composeId: dokploy.composeId,
    needed: plan.needed,
    rotateSecret: plan.rotateSecret,
    changedKeys: plan.changedKeys,
    diff: plan.diffText,
    ...(plan.domain ? { domain: { host: plan.domain.host, ...plan.domain.after } } : {}),
    findingsBefore: plan.findingsBefore,
    findingsAfter: plan.findingsAfter,
    notes: plan.notes,
    applied: result?.applied ?? false,
    dryRun,
    ...(result?.deploymentId ? { deploymentId: result.deploymentId } : {}),
    ...(validation ? { validation } : {}),
    historyDir: history,
  };
  const exitCode =
    !plan.needed || validation?.ok === true ? EXIT_CODES.ok : EXIT_CODES.failedChecks;
  return {
    data,
    exitCode,
    human: (c) => {
      if (!plan.needed) return `${c.green('ok')}: ${instance.name} needs no repair.`;
      const lines = [c.bold(`${instance.name} (compose ${dokploy.composeId}):`)];
      if (dryRun || !result) lines.push(plan.diffText.trimEnd());
      if (plan.domain) lines.push(`domain ${plan.domain.host}: https with Let's Encrypt`);
      if (plan.rotateSecret)
        lines.push(c.yellow('JWT_SECRET is rotated: every user signs in again.'));
      for (const note of plan.notes) lines.push(c.dim(`note: ${note}`));
      lines.push(`doctor errors left after the repair: ${plan.findingsAfter.join(', ') || 'none'}`);
      if (dryRun) {
        lines.push(c.dim('Dry run: nothing was written. Run again without --dry-run to apply it.'));
      } else if (validation) {
        lines.push(
          ...validation.checks.map(
            (ch) => `  ${ch.ok ? c.green('✓') : c.red('✗')} ${ch.name}: ${ch.reason}`,
          ),
          validation.ok
            ? c.green('repaired and validated')
            : c.red('repaired, but validation fails'),
        );
      }
      return lines.join('\n');
    },
  };
}
