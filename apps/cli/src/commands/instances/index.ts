import type { GroupDef } from '../../command.js';
import { instancesAdd } from './add.js';
import { instancesDefault } from './default.js';
import { instancesDiscover } from './discover.js';
import { instancesList } from './list.js';
import { instancesRemove } from './remove.js';
import { instancesTest } from './test.js';

export const instancesGroup: GroupDef = {
  name: 'instances',
  description: 'The instances of the shared config (the MCP server reads the same file)',
  examples: [
    { command: 'supaops instances list', description: 'what is configured' },
    { command: 'supaops instances test prod', description: 'check the connection' },
    { command: 'supaops instances default prod', description: 'make prod the default' },
  ],
  commands: [
    instancesList,
    instancesAdd,
    instancesRemove,
    instancesDefault,
    instancesTest,
    instancesDiscover,
  ],
};
