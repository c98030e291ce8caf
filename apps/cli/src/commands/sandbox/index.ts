import type { GroupDef } from '../../command.js';
import { sandboxReset, sandboxStart, sandboxStatus, sandboxStop } from './commands.js';

export const sandboxGroup: GroupDef = {
  name: 'sandbox',
  description: 'The local PostgreSQL sandbox (Supabase roles and schemas) the MCP server also uses',
  examples: [
    { command: 'supaops sandbox start', description: 'start it' },
    { command: 'supaops sandbox status --json', description: 'where it runs' },
  ],
  commands: [sandboxStart, sandboxStatus, sandboxStop, sandboxReset],
};
