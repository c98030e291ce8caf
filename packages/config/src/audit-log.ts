import { notYet } from './stub.js';
import type { AuditLog, LoadedConfig } from './types.js';
export function openAuditLog(_loaded: LoadedConfig): AuditLog {
  return notYet('openAuditLog');
}
