import { access } from 'node:fs/promises';
import path from 'node:path';
import type { InstanceConfig, SupaopsConfig } from '@supaops/config';
import type { CommandDef } from '../command.js';
import { optBool, optString } from '../command.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { INSTANCE_CONFIG_OPTIONS, instanceFromFlags } from './instances/instance-flags.js';

const INSTANCE_FLAGS = ['kind', 'session', 'transaction', 'apiUrl', 'backupDir', 'backupS3'];

interface Answers {
  name: string;
  instance: InstanceConfig | undefined;
}

function cancelled(): never {
  throw new CliError('INTERRUPTED', 'Cancelled; nothing was written.', {
    exitCode: EXIT_CODES.interrupted,
  });
}

/** The questions asked on a terminal; every answer has a flag for scripts. */
async function ask(ctx: CommandContext, options: Record<string, unknown>): Promise<Answers> {
  const prompts = await import('@clack/prompts');
  const io = {
    input: ctx.io.stdin as NodeJS.ReadStream,
    output: ctx.io.stderr as NodeJS.WriteStream,
  };
  prompts.intro('supaops init', io);
  const name = await prompts.text({
    ...io,
    message: 'Instance name',
    placeholder: 'local',
    defaultValue: optString(options.name) ?? 'local',
    validate: (v) =>
      !v || /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(v)
        ? undefined
        : 'letters, digits, . - _ (start with a letter or digit)',
  });
  if (prompts.isCancel(name)) cancelled();
  const kind = await prompts.select<InstanceConfig['kind']>({
    ...io,
    message: 'What is it?',
    options: [
      { value: 'sandbox', label: 'a local sandbox', hint: 'PostgreSQL started by supaops' },
      { value: 'self-hosted', label: 'self-hosted Supabase' },
      { value: 'dokploy', label: 'Supabase on Dokploy' },
      { value: 'cloud', label: 'Supabase cloud' },
    ],
  });
  if (prompts.isCancel(kind)) cancelled();
  if (kind === 'sandbox') {
    prompts.outro('A sandbox instance needs nothing else.', io);
    return { name: name || 'local', instance: { kind } };
  }
  const session = await prompts.text({
    ...io,
    message: 'Database connection (env:NAME, file:PATH, or a URL without the password)',
    placeholder: 'env:DATABASE_URL',
    defaultValue: 'env:DATABASE_URL',
  });
  if (prompts.isCancel(session)) cancelled();
  const production = await prompts.confirm({
    ...io,
    message: 'Is it production (ask before writes)?',
    initialValue: false,
  });
  if (prompts.isCancel(production)) cancelled();
  prompts.outro('Writing the config.', io);
  return {
    name: name || 'local',
    instance: {
      kind,
      database: { session: session || 'env:DATABASE_URL' },
      ...(production ? { labels: { production: true } } : {}),
    },
  };
}

export const initCommand: CommandDef = {
  name: 'init',
  description:
    'Write a supaops.config.json: asks on a terminal, takes flags otherwise (never prompts without one)',
  options: [
    {
      flags: '--name <name>',
      description: 'name of the first instance (default: default, or local when asked)',
    },
    ...INSTANCE_CONFIG_OPTIONS,
    {
      flags: '--user',
      description: 'write the user config (~/.config/supaops) instead of ./supaops.config.json',
    },
    { flags: '--force', description: 'overwrite an existing config file' },
  ],
  audit: true,
  examples: [
    { command: 'supaops init', description: 'answer a few questions' },
    {
      command:
        'supaops init --name prod --kind self-hosted --session env:DATABASE_URL --production',
      description: 'for scripts',
    },
    {
      command: 'supaops init --name local --kind sandbox --user',
      description: 'a sandbox instance in the user config',
    },
  ],
  async action(ctx, { options }) {
    const { CONFIG_FILE_NAME, CONFIG_SCHEMA_URL, supaopsPaths, writeConfigFile } = await import(
      '@supaops/config'
    );
    const dir = optBool(options.user) ? supaopsPaths(ctx.io.env).config : ctx.io.cwd;
    const file = path.join(dir, CONFIG_FILE_NAME);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (exists && !optBool(options.force)) {
      throw new CliError('CONFIG_EXISTS', `${file} already exists.`, {
        exitCode: EXIT_CODES.config,
        fix: 'Add instances with supaops instances add, or pass --force to overwrite the file.',
      });
    }
    const fromFlags = INSTANCE_FLAGS.some((f) => optString(options[f]) !== undefined);
    let answers: Answers;
    if (fromFlags || !ctx.interactive) {
      answers = {
        name: optString(options.name) ?? 'default',
        instance: fromFlags
          ? instanceFromFlags(options, optString(options.session) ? 'self-hosted' : 'sandbox')
          : undefined,
      };
    } else {
      answers = await ask(ctx, options);
    }
    const config: SupaopsConfig = {
      $schema: CONFIG_SCHEMA_URL,
      version: 1,
      ...(answers.instance ? { defaultInstance: answers.name } : {}),
      instances: answers.instance ? { [answers.name]: answers.instance } : {},
      dokployServers: {},
    };
    await writeConfigFile(file, config);
    if (answers.instance) ctx.audit.instance = answers.name;
    const next = answers.instance
      ? `supaops instances test ${answers.name}`
      : 'supaops instances add NAME --session env:DATABASE_URL';
    return {
      data: { path: file, config },
      human: (c) => `${c.green('wrote')} ${file}\nnext: ${next}`,
    };
  },
};
