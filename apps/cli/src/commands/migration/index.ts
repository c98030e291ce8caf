import type { GroupDef } from '../../command.js';
import { migrationDown } from './down.js';
import { migrationFetch } from './fetch.js';
import { migrationList } from './list.js';
import { migrationNew } from './new.js';
import { migrationRepair } from './repair.js';
import { migrationUp } from './up.js';
import { migrationVerify } from './verify.js';

export const migrationGroup: GroupDef = {
  name: 'migration',
  description:
    "Migrations in the Supabase CLI's layout and history table, with a lock, checksums and dry runs",
  examples: [
    { command: 'supaops migration new create_todos', description: 'a new file' },
    { command: 'supaops migration up --dry-run', description: 'preview' },
    { command: 'supaops migration verify', description: 'drift check for CI' },
  ],
  commands: [
    migrationNew,
    migrationList,
    migrationUp,
    migrationDown,
    migrationRepair,
    migrationFetch,
    migrationVerify,
  ],
};
