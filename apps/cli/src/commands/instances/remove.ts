import type { CommandDef } from '../../command.js';

export const instancesRemove: CommandDef = {
  name: 'remove',
  description: 'Remove an instance from the config file it is written in',
  arguments: [{ name: '<name>', description: 'instance name' }],
  examples: [
    { command: 'supaops instances remove staging', description: 'forget the staging instance' },
  ],
  audit: true,
  async action(ctx, { args }) {
    const name = String(args[0]);
    const loaded = await ctx.config();
    const { removeInstance } = await import('@supaops/config');
    await removeInstance(loaded.writePath, name);
    ctx.audit.instance = name;
    return {
      data: { name, path: loaded.writePath, removed: true },
      human: `Removed instance "${name}" from ${loaded.writePath}.`,
    };
  },
};
