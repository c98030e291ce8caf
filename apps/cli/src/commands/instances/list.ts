import type { CommandDef } from '../../command.js';
import { renderTable } from '../../output/table.js';

export const instancesList: CommandDef = {
  name: 'list',
  description: 'List the configured instances (no secret values)',
  examples: [
    { command: 'supaops instances list', description: 'a table of instances' },
    { command: 'supaops instances list --json', description: 'the same as JSON' },
  ],
  async action(ctx) {
    const loaded = await ctx.config();
    const { listInstances } = await import('@supaops/config');
    const instances = listInstances(loaded);
    const data = {
      instances,
      ...(loaded.config.defaultInstance ? { defaultInstance: loaded.config.defaultInstance } : {}),
      sources: loaded.sources,
      writePath: loaded.writePath,
    };
    return {
      data,
      human: (c) => {
        if (instances.length === 0) {
          return `No instances configured (${loaded.writePath}).\nAdd one: supaops instances add NAME --session env:DATABASE_URL`;
        }
        return renderTable(
          instances,
          [
            { header: 'NAME', value: (i) => (i.isDefault ? `${i.name} *` : i.name) },
            { header: 'KIND', value: (i) => i.kind },
            { header: 'PRODUCTION', value: (i) => (i.production ? c.yellow('yes') : '') },
            {
              header: 'DATABASE',
              value: (i) =>
                i.sessionUrlRedacted ??
                (i.hasSession ? 'session (reference)' : i.hasTransaction ? 'transaction' : ''),
            },
            { header: 'API', value: (i) => i.apiUrl },
            { header: 'DESCRIPTION', value: (i) => i.description },
          ],
          c,
        );
      },
    };
  },
};
