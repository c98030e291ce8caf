import cleanupBackups from '../tools/backups/cleanup-backups.js';
import createBackup from '../tools/backups/create-backup.js';
import listBackups from '../tools/backups/list-backups.js';
import restoreBackup from '../tools/backups/restore-backup.js';
import verifyBackup from '../tools/backups/verify-backup.js';
import executeSql from '../tools/database/execute-sql.js';
import fetchResultPage from '../tools/database/fetch-result-page.js';
import monitorConnections from '../tools/database/monitor-connections.js';
import getProjectUrl from '../tools/development/get-project-url.js';
import getPublishableKeys from '../tools/development/get-publishable-keys.js';
import checkConnection from '../tools/instances/check-connection.js';
import getHealth from '../tools/instances/get-health.js';
import getInstanceLogs from '../tools/instances/get-logs.js';
import listInstances from '../tools/instances/list-instances.js';
import checkKeys from '../tools/keys/check-keys.js';
import generateKeys from '../tools/keys/generate-keys.js';
import planKeyRepair from '../tools/keys/plan-key-repair.js';
import applyMigration from '../tools/migrations/apply-migration.js';
import applyPendingMigrations from '../tools/migrations/apply-pending-migrations.js';
import listMigrations from '../tools/migrations/list-migrations.js';
import repairMigrationHistory from '../tools/migrations/repair-migration-history.js';
import rollbackMigration from '../tools/migrations/rollback-migration.js';
import cloneInstance from '../tools/selfhost/clone-instance.js';
import deploySupabase from '../tools/selfhost/deploy-supabase.js';
import diffEnv from '../tools/selfhost/diff-env.js';
import dokployGetLogs from '../tools/selfhost/get-logs.js';
import listDokployInstances from '../tools/selfhost/list-dokploy-instances.js';
import manageDomain from '../tools/selfhost/manage-domain.js';
import monitorHealth from '../tools/selfhost/monitor-health.js';
import promoteDeployment from '../tools/selfhost/promote-deployment.js';
import regenerateKeys from '../tools/selfhost/regenerate-keys.js';
import rollback from '../tools/selfhost/rollback.js';
import setupWizard from '../tools/selfhost/setup-wizard.js';
import syncSchema from '../tools/selfhost/sync-schema.js';
import updateEnv from '../tools/selfhost/update-env.js';
import dokployValidateConfig from '../tools/selfhost/validate-config.js';
import type { AnyTool } from './types.js';

/** Every tool, in the order tools/list shows them. Later issues add theirs here. */
export const TOOLS: readonly AnyTool[] = [
  listInstances,
  checkConnection,
  getInstanceLogs,
  getHealth,
  executeSql,
  fetchResultPage,
  monitorConnections,
  listMigrations,
  applyMigration,
  applyPendingMigrations,
  rollbackMigration,
  repairMigrationHistory,
  createBackup,
  listBackups,
  verifyBackup,
  restoreBackup,
  cleanupBackups,
  generateKeys,
  checkKeys,
  planKeyRepair,
  getProjectUrl,
  getPublishableKeys,
  dokployValidateConfig,
  diffEnv,
  setupWizard,
  deploySupabase,
  regenerateKeys,
  updateEnv,
  listDokployInstances,
  monitorHealth,
  dokployGetLogs,
  manageDomain,
  rollback,
  cloneInstance,
  syncSchema,
  promoteDeployment,
];
