import type { TreeEntry } from '../command.js';
import { auditCommand } from './audit.js';
import { backupGroup } from './backup/index.js';
import { cloneCommand } from './clone/index.js';
import { completionCommand } from './completion.js';
import { dbGroup } from './db/index.js';
import { deployCommand } from './deploy/index.js';
import { doctorCommand } from './doctor/index.js';
import { domainGroup } from './domain/index.js';
import { envGroup } from './env/index.js';
import { healthCommand } from './health/index.js';
import { initCommand } from './init.js';
import { instancesGroup } from './instances/index.js';
import { keysGroup } from './keys/index.js';
import { logsCommand } from './logs/index.js';
import { mcpCommand } from './mcp.js';
import { migrationGroup } from './migration/index.js';
import { promoteCommand } from './promote/index.js';
import { rollbackCommand } from './rollback.js';
import { sandboxGroup } from './sandbox/index.js';

/**
 * The command tree, in help order. A new command or group is one entry here.
 */
export const COMMAND_TREE: TreeEntry[] = [
  initCommand,
  instancesGroup,
  keysGroup,
  doctorCommand,
  envGroup,
  deployCommand,
  healthCommand,
  logsCommand,
  domainGroup,
  rollbackCommand,
  cloneCommand,
  promoteCommand,
  dbGroup,
  migrationGroup,
  backupGroup,
  sandboxGroup,
  mcpCommand,
  auditCommand,
  completionCommand,
];
