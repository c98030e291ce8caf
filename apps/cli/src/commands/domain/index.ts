import type { GroupDef } from '../../command.js';
import { domainAdd, domainRemove, domainUpdate } from './change.js';
import { domainCheck } from './check.js';

export const domainGroup: GroupDef = {
  name: 'domain',
  description: "The domains of an instance's Dokploy compose, and their certificates",
  examples: [
    { command: 'supaops domain add supabase.acme.dev --https --redeploy', description: 'add one' },
    { command: 'supaops domain check', description: 'certificate expiry' },
  ],
  commands: [domainAdd, domainUpdate, domainRemove, domainCheck],
};
