import type { CommandDef } from '../../command.js';
import { optBool } from '../../command.js';
import { INSTANCE_CONFIG_OPTIONS, instanceFromFlags } from './instance-flags.js';

export const instancesAdd: CommandDef = {
  name: 'add',
  description:
    'Add an instance to the config (secrets as env:/file:/store: references, never literal)',
  arguments: [{ name: '<name>', description: 'instance name (letters, digits, - and _)' }],
  options: [
    ...INSTANCE_CONFIG_OPTIONS,
    { flags: '--replace', description: 'replace an instance of that name' },
    { flags: '--default', description: "also make it the file's defaultInstance" },
  ],
  examples: [
    {
      command: 'supaops instances add prod --session env:PROD_DATABASE_URL --production',
      description: 'a production database from an env var',
    },
    {
      command:
        'supaops instances add staging --session postgres://postgres@10.0.0.5:5432/postgres --password file:.pgpass-staging',
      description: 'URL without password plus a password file',
    },
    {
      command: 'supaops instances add staging --session env:STAGING_DATABASE_URL --default',
      description: 'and make it the default instance',
    },
  ],
  audit: true,
  async action(ctx, { args, options }) {
    const name = String(args[0]);
    const loaded = await ctx.config();
    const instance = instanceFromFlags(options);
    const { addInstance } = await import('@supaops/config');
    const makeDefault = optBool(options.default);
    await addInstance(loaded.writePath, name, instance, {
      replace: optBool(options.replace),
      default: makeDefault,
    });
    ctx.audit.instance = name;
    return {
      data: { name, path: loaded.writePath, instance, default: makeDefault },
      human: `Added instance "${name}" (${instance.kind}) to ${loaded.writePath}${makeDefault ? ' as the default instance' : ''}.`,
    };
  },
};
