import type { EnvEdit } from '@supaops/selfhost/env';
import type { CommandInput, CommandResult } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { usageError } from '../../errors.js';
import { historyDir, instanceCompose } from '../dokploy-access.js';
import {
  instanceFlags,
  isSecretName,
  readTextFile,
  resolvePath,
  writeFileAtomic,
} from '../shared.js';

export const EDIT_TARGET_OPTIONS = [
  { flags: '--env <file>', description: 'the .env file to edit', complete: 'file' as const },
  {
    flags: '-i, --instance <name>',
    description: "edit the instance's Dokploy compose env (recorded in the history first)",
  },
  { flags: '--redeploy', description: 'with --instance: redeploy so the services read it' },
  {
    flags: '--deploy-timeout <seconds>',
    description: 'with --redeploy: how long to wait',
    parse: (v: string) => Number(v),
  },
  { flags: '-y, --yes', description: 'write a production instance without asking' },
];

function assertTarget(file: string | undefined, instance: string | undefined): void {
  if (Boolean(file) === Boolean(instance)) {
    throw usageError(
      'ENV_TARGET_REQUIRED',
      file
        ? 'Both --env and --instance were given.'
        : 'No --env FILE or --instance NAME was given.',
      'Pass --env FILE to edit a file, or --instance NAME to edit its Dokploy compose env.',
    );
  }
}

/** Values of secret-looking keys are masked in every output of this run. */
async function registerSecrets(ctx: CommandContext, texts: string[], edit: EnvEdit) {
  const { isSecretVariable, parseEnv, toEnvRecord } = await import('@supaops/selfhost/env');
  for (const text of texts) {
    for (const [key, value] of Object.entries(
      toEnvRecord(parseEnv(text, { interpolate: false })),
    )) {
      if ((isSecretVariable(key) || isSecretName(key)) && value.length >= 4)
        ctx.redactor.add(value);
    }
  }
  for (const [key, value] of Object.entries(edit.set ?? {})) {
    if ((isSecretVariable(key) || isSecretName(key)) && value.length >= 4) ctx.redactor.add(value);
  }
}

/**
 * `env set` / `env unset` on a file (selfhost's editEnv: every other line byte for byte, written
 * atomically) or on an instance's compose env (ciphertext refused, the old text recorded in the
 * history before `compose.update`, then `--redeploy`).
 */
export async function editEnvTarget(
  ctx: CommandContext,
  input: CommandInput,
  edit: EnvEdit,
): Promise<CommandResult> {
  const { options } = input;
  const file = optString(options.env);
  const flags = instanceFlags(input);
  assertTarget(file, flags.instance);
  // a file needs only the env subpath; an instance also the history store (the package root)
  const env = await import('@supaops/selfhost/env');
  if (file) {
    if (optBool(options.redeploy)) {
      throw usageError(
        'ENV_REDEPLOY_NEEDS_INSTANCE',
        '--redeploy goes with --instance.',
        'Drop --redeploy, or pass --instance NAME.',
      );
    }
    const before = await readTextFile(ctx, file);
    await registerSecrets(ctx, [before], edit);
    const result = env.editEnv(before, edit);
    const written = result.text !== before;
    if (written) await writeFileAtomic(ctx, file, result.text);
    return view({
      target: 'file',
      file: resolvePath(ctx, file),
      ...keysOf(result),
      written,
      redeployed: false,
    });
  }
  const { instance, dokploy, client } = await instanceCompose(ctx, flags, 'env');
  const call = { signal: ctx.signal };
  const before = (await client.compose.one({ composeId: dokploy.composeId }, call)).env ?? '';
  // Dokploy ciphertext or text compose cannot read is never written back
  env.assertEnvWritable(before);
  await registerSecrets(ctx, [before], edit);
  const result = env.editEnv(before, edit);
  const written = result.text !== before;
  const dir = await historyDir(ctx, dokploy.serverName);
  const { createHistoryStore } = await import('@supaops/selfhost');
  const history = createHistoryStore(dir);
  if (written) {
    if (instance.production) {
      await ctx.confirm(
        `Change the env of production instance "${instance.name}"?`,
        optBool(options.yes),
      );
    }
    await history.record({
      kind: 'compose.env',
      actor: 'cli',
      composeId: dokploy.composeId,
      before,
      after: result.text,
    });
    await client.compose.update({ composeId: dokploy.composeId, env: result.text }, call);
  }
  let redeployed = false;
  if (optBool(options.redeploy)) {
    const { deployAndWait } = await import('@supaops/dokploy-client');
    await history.record({ kind: 'compose.deploy', actor: 'cli', composeId: dokploy.composeId });
    ctx.info(`redeploying ${instance.name} …`);
    const timeout = optNumber(options.deployTimeout);
    await deployAndWait(client, {
      composeId: dokploy.composeId,
      title: 'supaops env',
      signal: ctx.signal,
      timeoutMs: (timeout ?? 1800) * 1000,
      intervalMs: 1000,
    });
    redeployed = true;
  } else if (written) {
    ctx.info(`the services read the new env after a redeploy: add --redeploy`);
  }
  return view({
    target: 'instance',
    instance: instance.name,
    composeId: dokploy.composeId,
    ...keysOf(result),
    written,
    redeployed,
    historyDir: dir,
  });
}

function keysOf(r: { changed: string[]; added: string[]; removed: string[]; unchanged: string[] }) {
  return { changed: r.changed, added: r.added, removed: r.removed, unchanged: r.unchanged };
}

function view(data: {
  target: 'file' | 'instance';
  file?: string;
  instance?: string;
  changed: string[];
  added: string[];
  removed: string[];
  unchanged: string[];
  written: boolean;
  redeployed: boolean;
  [k: string]: unknown;
}): CommandResult {
  return {
    data,
    human: (c) => {
      const where = data.file ?? `instance ${data.instance}`;
      if (!data.written) return `${c.dim('unchanged')}: ${where}`;
      const lines = [`${c.green('wrote')} ${where}`];
      for (const k of data.added) lines.push(c.green(`  + ${k}`));
      for (const k of data.changed.filter((k) => !data.added.includes(k)))
        lines.push(c.yellow(`  ~ ${k}`));
      for (const k of data.removed) lines.push(c.red(`  - ${k}`));
      if (data.redeployed) lines.push('redeployed');
      return lines.join('\n');
    },
  };
}
