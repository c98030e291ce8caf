import type { GroupDef } from '../../command.js';
import { envDiff } from './diff.js';
import { envSet, envUnset } from './set.js';

export const envGroup: GroupDef = {
  name: 'env',
  description: 'Work with the .env of a self-hosted Supabase, as docker compose reads it',
  examples: [
    { command: 'supaops env diff template.env .env', description: 'what differs' },
    {
      command: 'supaops env set SITE_URL=https://app.acme.dev --env .env',
      description: 'edit in place',
    },
  ],
  commands: [envDiff, envSet, envUnset],
};
