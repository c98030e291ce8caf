import type { CommandDef } from '../../command.js';
import { optBool } from '../../command.js';
import { usageError } from '../../errors.js';

export const instancesDefault: CommandDef = {
  name: 'default',
  description:
    'Set (or --clear) the defaultInstance of the config file instances are written to; SUPAOPS_INSTANCE and --instance still come first',
  arguments: [{ name: '[name]', description: 'the instance to make the default' }],
  options: [{ flags: '--clear', description: 'remove defaultInstance from the file' }],
  examples: [
    {
      command: 'supaops instances default staging',
      description: 'commands use staging by default',
    },
    { command: 'supaops instances default --clear', description: 'no default instance' },
  ],
  audit: true,
  async action(ctx, { args, options }) {
    const name = typeof args[0] === 'string' ? args[0] : undefined;
    const clear = optBool(options.clear);
    if ((name === undefined) === !clear) {
      throw usageError(
        'DEFAULT_INSTANCE_ARGS',
        'instances default needs an instance name or --clear (not both).',
        'e.g. supaops instances default staging, or supaops instances default --clear',
      );
    }
    const loaded = await ctx.config();
    const { setDefaultInstance } = await import('@supaops/config');
    // `loaded` lets a project file name an instance of the user file as its default
    await setDefaultInstance(loaded.writePath, name, { loaded });
    if (name) ctx.audit.instance = name;
    return {
      data: { path: loaded.writePath, defaultInstance: name ?? null },
      human: name
        ? `"${name}" is the default instance in ${loaded.writePath}.`
        : `Cleared the default instance in ${loaded.writePath}.`,
    };
  },
};
