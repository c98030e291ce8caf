import type { InstanceConfig } from '@supaops/config';
import type { OptionDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { usageError } from '../../errors.js';
import { parseInteger } from '../shared.js';

export const INSTANCE_KINDS = ['sandbox', 'self-hosted', 'dokploy', 'cloud'] as const;

/** The flags that describe an instance (`instances add`, `init`). Secrets are references only. */
export const INSTANCE_CONFIG_OPTIONS: OptionDef[] = [
  { flags: '--kind <kind>', description: 'what the instance is', choices: INSTANCE_KINDS },
  { flags: '--description <text>', description: 'a note shown by instances list' },
  {
    flags: '--session <ref>',
    description: 'session connection: env:NAME, file:PATH, store:NAME, or a URL without password',
  },
  { flags: '--transaction <ref>', description: 'transaction-pooler connection (6543), same forms' },
  {
    flags: '--password <ref>',
    description: 'the password for URLs without one: env:NAME, file:PATH or store:NAME',
  },
  { flags: '--api-url <url>', description: 'the API gateway, e.g. https://supabase.example.com' },
  { flags: '--anon-key <ref>', description: 'ANON_KEY reference' },
  { flags: '--service-role-key <ref>', description: 'SERVICE_ROLE_KEY reference' },
  { flags: '--publishable-key <ref>', description: 'sb_publishable_ key reference' },
  { flags: '--secret-key <ref>', description: 'sb_secret_ key reference' },
  { flags: '--jwt-secret <ref>', description: 'JWT_SECRET reference' },
  { flags: '--dokploy-server <name>', description: 'the Dokploy server (config dokployServers)' },
  { flags: '--compose-id <id>', description: "the Supabase compose's id on that server" },
  {
    flags: '--migrations-dir <dir>',
    description: 'default supabase/migrations, relative to the config file',
    complete: 'directory',
  },
  {
    flags: '--backup-dir <dir>',
    description: 'store backups in this local directory',
    complete: 'directory',
  },
  { flags: '--backup-s3 <url>', description: 'store backups in S3: s3://bucket/prefix' },
  { flags: '--backup-s3-endpoint <url>', description: 'S3-compatible endpoint (MinIO, R2, …)' },
  { flags: '--backup-s3-region <region>', description: 'S3 region' },
  { flags: '--backup-s3-path-style', description: 'path-style S3 addressing' },
  { flags: '--backup-s3-access-key-id <ref>', description: 'S3 access key id reference' },
  { flags: '--backup-s3-secret-access-key <ref>', description: 'S3 secret reference' },
  { flags: '--backup-key <ref>', description: 'backup encryption passphrase or key reference' },
  {
    flags: '--keep-last <n>',
    description: 'retention: keep the newest n backups',
    parse: parseInteger(1),
  },
  {
    flags: '--keep-days <n>',
    description: 'retention: keep backups younger than n days',
    parse: parseInteger(1),
  },
  { flags: '--production', description: 'label it production: writes ask for confirmation' },
];

/** s3://bucket/prefix → bucket and prefix. */
export function parseS3Url(value: string): { bucket: string; prefix?: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  if (!match?.[1]) {
    throw usageError(
      'S3_URL_INVALID',
      `"${value}" is not an s3:// URL.`,
      'Write s3://bucket or s3://bucket/prefix/.',
    );
  }
  return { bucket: match[1], ...(match[2] ? { prefix: match[2] } : {}) };
}

function defined<T extends object>(value: T): T | undefined {
  return Object.values(value).some((v) => v !== undefined) ? value : undefined;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An InstanceConfig from the flags; @supaops/config validates it (and rejects literal secrets). */
export function instanceFromFlags(
  options: Record<string, unknown>,
  fallbackKind: InstanceConfig['kind'] = 'self-hosted',
): InstanceConfig {
  const s = (name: string) => optString(options[name]);
  const kind = (s('kind') as InstanceConfig['kind'] | undefined) ?? fallbackKind;
  const database = defined(
    compact({ session: s('session'), transaction: s('transaction'), password: s('password') }),
  );
  const apiKeys = compact({
    anonKey: s('anonKey'),
    serviceRoleKey: s('serviceRoleKey'),
    publishableKey: s('publishableKey'),
    secretKey: s('secretKey'),
    jwtSecret: s('jwtSecret'),
  });
  const apiUrl = s('apiUrl');
  if (!apiUrl && Object.keys(apiKeys).length > 0) {
    throw usageError(
      'API_URL_MISSING',
      'API keys were given without --api-url.',
      'Add --api-url https://your-supabase-host.',
    );
  }
  let storage: NonNullable<InstanceConfig['backups']>['storage'] | undefined;
  const backupDir = s('backupDir');
  const backupS3 = s('backupS3');
  if (backupDir && backupS3) {
    throw usageError(
      'BACKUP_STORAGE_CONFLICT',
      'Both --backup-dir and --backup-s3 were given.',
      'Pick one storage.',
    );
  }
  if (backupDir) storage = { type: 'local', dir: backupDir };
  if (backupS3) {
    storage = compact({
      type: 's3' as const,
      ...parseS3Url(backupS3),
      endpoint: s('backupS3Endpoint'),
      region: s('backupS3Region'),
      forcePathStyle: optBool(options.backupS3PathStyle) || undefined,
      accessKeyId: s('backupS3AccessKeyId'),
      secretAccessKey: s('backupS3SecretAccessKey'),
    });
  }
  const dokployServer = s('dokployServer');
  const composeId = s('composeId');
  if (Boolean(dokployServer) !== Boolean(composeId)) {
    throw usageError(
      'DOKPLOY_LINK_INCOMPLETE',
      'Only one of --dokploy-server and --compose-id was given.',
      'Give both: --dokploy-server NAME --compose-id ID.',
    );
  }
  const retention = defined(
    compact({ keepLast: optNumber(options.keepLast), keepDays: optNumber(options.keepDays) }),
  );
  if (!storage && (s('backupKey') || retention)) {
    throw usageError(
      'BACKUP_STORAGE_MISSING',
      '--backup-key and retention need a backup storage.',
      'Add --backup-dir DIR or --backup-s3 s3://bucket/prefix.',
    );
  }
  return compact({
    kind,
    description: s('description'),
    database,
    api: apiUrl ? { url: apiUrl, ...apiKeys } : undefined,
    dokploy: dokployServer && composeId ? { server: dokployServer, composeId } : undefined,
    migrationsDir: s('migrationsDir'),
    backups: storage ? compact({ storage, encryptionKey: s('backupKey'), retention }) : undefined,
    labels: optBool(options.production) ? { production: true } : undefined,
  }) as InstanceConfig;
}
