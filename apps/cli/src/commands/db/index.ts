import type { GroupDef } from '../../command.js';
import { dbCheck } from './check.js';
import { dbConnections } from './connections.js';
import { dbSql } from './sql.js';

export const dbGroup: GroupDef = {
  name: 'db',
  description: 'SQL, the connection monitor and connection-string diagnosis',
  examples: [
    { command: 'supaops db sql "select 1"', description: 'run SQL on the default instance' },
    { command: 'supaops db check "$DATABASE_URL"', description: 'why does this URL not connect?' },
  ],
  commands: [dbSql, dbConnections, dbCheck],
};
