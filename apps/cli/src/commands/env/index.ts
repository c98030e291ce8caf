import type { GroupDef } from '../../command.js';
import { envDiff } from './diff.js';

export const envGroup: GroupDef = {
  name: 'env',
  description: 'Work with the .env of a self-hosted Supabase, as docker compose reads it',
  examples: [{ command: 'supaops env diff template.env .env', description: 'what differs' }],
  commands: [envDiff],
};
