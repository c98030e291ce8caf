import type { RollbackResult } from '@supaops/selfhost';
import type { CommandDef } from '../command.js';
import { optBool, optNumber, optString } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import {
  historyDir,
  instanceCompose,
  REDEPLOY_OPTIONS,
  validateViaFetch,
  validationData,
} from './dokploy-access.js';
import { instanceFlags } from './shared.js';

function diffLines(result: RollbackResult): string[] {
  return (result.diff?.entries ?? [])
    .filter((e) => e.status !== 'unchanged')
    .map((e) =>
      e.status === 'added'
        ? `+ ${e.key}=${e.right ?? ''}`
        : e.status === 'removed'
          ? `- ${e.key}`
          : `~ ${e.key}: ${e.left ?? ''} → ${e.right ?? ''}`,
    );
}

export const rollbackCommand: CommandDef = {
  name: 'rollback',
  description:
    "Undo the last recorded env or compose-file change of an instance's Dokploy compose (any face's), redeploy and validate",
  options: [
    { flags: '-i, --instance <name>', description: 'the instance (default: the selected one)' },
    { flags: '--dry-run', description: 'show the masked diff of what would be restored' },
    { flags: '-y, --yes', description: 'restore without asking (needed without a terminal)' },
    { flags: '--force', description: 'restore even when the compose changed after that write' },
    { flags: '--no-redeploy', description: 'write only; it takes effect at the next deploy' },
    ...REDEPLOY_OPTIONS,
  ],
  audit: true,
  examples: [
    {
      command: 'supaops rollback --instance prod --dry-run',
      description: 'what would change back',
    },
    {
      command: 'supaops rollback --instance prod --yes',
      description: 'restore, redeploy, validate',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const { instance, dokploy, client } = await instanceCompose(
      ctx,
      instanceFlags(input),
      'rollback',
    );
    const selfhost = await import('@supaops/selfhost');
    const dir = await historyDir(ctx, dokploy.serverName);
    const history = selfhost.createHistoryStore(dir);
    const base = { client, history, composeId: dokploy.composeId, signal: ctx.signal };
    const plan = await selfhost.rollback({ ...base, dryRun: true });
    const dryRun = optBool(options.dryRun);
    const diff = diffLines(plan);
    let result = plan;
    if (dryRun) ctx.audit.outcome = 'dry-run';
    else {
      if (!ctx.globals.json && diff.length > 0) ctx.info(diff.join('\n'));
      await ctx.confirm(
        `Restore the ${plan.target.kind === 'compose.env' ? 'env' : 'compose file'} of "${instance.name}" from before the ${plan.target.actor} change of ${plan.target.at}?`,
        optBool(options.yes),
      );
      const httpFetch = validateViaFetch(optString(options.validateVia));
      const poll = optNumber(options.pollInterval);
      result = await selfhost.rollback({
        ...base,
        force: optBool(options.force),
        redeploy: options.redeploy !== false,
        ...(httpFetch ? { fetch: httpFetch } : {}),
        ...(poll ? { pollMs: poll, validateRetryMs: Math.min(3000, poll * 10) } : {}),
      });
    }
    const validation = result.validation ? validationData(result.validation) : undefined;
    return {
      data: {
        instance: instance.name,
        composeId: dokploy.composeId,
        target: result.target,
        dryRun,
        applied: result.applied,
        ...(result.diff ? { diff: result.diff } : {}),
        effective: result.effective,
        needsRedeploy: result.needsRedeploy,
        ...(result.recordId ? { recordId: result.recordId } : {}),
        ...(result.deploymentId ? { deploymentId: result.deploymentId } : {}),
        ...(validation ? { validation } : {}),
        historyDir: dir,
      },
      human: (c) => {
        const head = dryRun
          ? `${c.yellow('would restore')} ${instance.name} from before ${plan.target.actor} (${plan.target.at})`
          : `${c.green('restored')} ${instance.name}${result.effective ? ', redeployed' : ' (takes effect at the next deploy)'}`;
        const lines = [head, ...(dryRun ? diff : [])];
        if (validation)
          lines.push(`validation: ${validation.ok ? c.green('ok') : c.red('failed')}`);
        return lines.join('\n');
      },
      exitCode: validation && !validation.ok ? EXIT_CODES.failedChecks : EXIT_CODES.ok,
    };
  },
};
