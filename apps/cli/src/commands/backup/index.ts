import type { GroupDef } from '../../command.js';
import { backupCreate } from './create.js';
import { backupList } from './list.js';
import { backupPrune } from './prune.js';
import { backupRestore } from './restore.js';
import { backupVerify } from './verify.js';

export const backupGroup: GroupDef = {
  name: 'backup',
  description:
    'Compressed, encrypted, verified backups in a local directory or S3, restores that check themselves, retention',
  examples: [
    { command: 'supaops backup create', description: 'back up the default instance' },
    { command: 'supaops backup list', description: 'what is stored' },
    { command: 'supaops backup verify ID', description: 'prove a backup is intact' },
  ],
  commands: [backupCreate, backupList, backupVerify, backupRestore, backupPrune],
};
