import type { GroupDef } from '../../command.js';
import { keysCheck } from './check.js';
import { keysGenerate } from './generate.js';
import { keysRepair } from './repair.js';

export const keysGroup: GroupDef = {
  name: 'keys',
  description: 'Generate, check and repair the JWT secret and API keys of a self-hosted Supabase',
  examples: [
    { command: 'supaops keys check --env .env', description: 'find broken or demo keys' },
    { command: 'supaops keys repair --env .env --write', description: 'fix them in place' },
  ],
  commands: [keysGenerate, keysCheck, keysRepair],
};
