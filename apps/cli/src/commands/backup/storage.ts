import type { BackupStorage, KeySource, StorageSpec } from '@supaops/backup-engine';
import type { ResolvedInstance } from '@supaops/config';
import type { CommandInput, OptionDef } from '../../command.js';
import { optBool, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { CliError, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { parseS3Url } from '../instances/instance-flags.js';
import { instanceFlags, readTextFile, resolvePath } from '../shared.js';

export const STORAGE_OPTIONS: OptionDef[] = [
  {
    flags: '--storage <location>',
    description:
      "a local directory or s3://bucket/prefix (default: the instance's backups.storage)",
    complete: 'directory',
  },
  {
    flags: '--s3-endpoint <url>',
    description:
      'S3-compatible endpoint (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
  },
  { flags: '--s3-region <region>', description: 'S3 region' },
  { flags: '--s3-path-style', description: 'path-style S3 addressing (MinIO, Garage)' },
];

export const KEY_OPTIONS: OptionDef[] = [
  {
    flags: '--key-file <file>',
    description: 'encryption key file (32 bytes: raw, hex or base64)',
    complete: 'file',
  },
  { flags: '--key-env <name>', description: 'environment variable holding the 32-byte key' },
  {
    flags: '--passphrase-file <file>',
    description: 'encryption passphrase from a file',
    complete: 'file',
  },
  { flags: '--passphrase-env <name>', description: 'environment variable holding the passphrase' },
];

export interface BackupTarget {
  instance: ResolvedInstance | undefined;
  storage: BackupStorage;
  key: KeySource | undefined;
}

function storageFromFlags(
  ctx: CommandContext,
  options: Record<string, unknown>,
): StorageSpec | undefined {
  const location = optString(options.storage);
  if (!location) return undefined;
  if (!location.startsWith('s3://')) return { type: 'local', dir: resolvePath(ctx, location) };
  const endpoint = optString(options.s3Endpoint);
  const region = optString(options.s3Region);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = ctx.io.env;
  ctx.redactor.add(secretAccessKey);
  return {
    type: 's3',
    ...parseS3Url(location),
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(optBool(options.s3PathStyle) ? { forcePathStyle: true } : {}),
    ...(accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : {}),
  };
}

async function keyFromFlags(
  ctx: CommandContext,
  options: Record<string, unknown>,
): Promise<KeySource | undefined> {
  const given = ['keyFile', 'keyEnv', 'passphraseFile', 'passphraseEnv'].filter((k) =>
    optString(options[k]),
  );
  if (given.length > 1)
    throw usageError(
      'KEY_SOURCE_CONFLICT',
      'More than one encryption key source was given.',
      'Pass one of --key-file, --key-env, --passphrase-file, --passphrase-env.',
    );
  const keyFile = optString(options.keyFile);
  if (keyFile) return { keyFile: resolvePath(ctx, keyFile) };
  const envName = optString(options.keyEnv) ?? optString(options.passphraseEnv);
  if (envName) {
    const value = ctx.io.env[envName];
    if (!value)
      throw usageError(
        'KEY_ENV_MISSING',
        `The environment variable ${envName} is not set.`,
        `Export ${envName}, or pass another key source.`,
      );
    ctx.redactor.add(value);
    if (optString(options.passphraseEnv)) return { passphrase: value };
    const { parseRawKey } = await import('@supaops/backup-engine');
    return { key: parseRawKey(value, `environment variable ${envName}`) };
  }
  const passphraseFile = optString(options.passphraseFile);
  if (passphraseFile) {
    const passphrase = (await readTextFile(ctx, passphraseFile)).replace(/\r?\n$/, '');
    ctx.redactor.add(passphrase);
    return { passphrase };
  }
  return undefined;
}

/** backups.encryptionKey: backup-engine decides whether it is a raw key or a passphrase. */
async function keyFromInstance(
  instance: ResolvedInstance | undefined,
): Promise<KeySource | undefined> {
  const value = instance?.backups?.encryptionKey;
  if (!value) return undefined;
  const { keySourceFromSecret } = await import('@supaops/backup-engine');
  return keySourceFromSecret(value);
}

async function createStorage(spec: StorageSpec): Promise<BackupStorage> {
  const { createStorage: fromSpec } = await import('@supaops/backup-engine');
  return fromSpec(spec);
}

/**
 * Storage and key for a backup command: flags first, then the instance's `backups` config. With
 * --storage and no instance flag, no instance (and no config) is needed. `needsDatabase` (create,
 * and restore without --target) also resolves the instance's database strictly.
 */
export async function openBackupTarget(
  ctx: CommandContext,
  input: CommandInput,
  needsDatabase: boolean,
): Promise<BackupTarget> {
  const flags = instanceFlags(input);
  const fromFlags = storageFromFlags(ctx, input.options);
  const wantsInstance =
    needsDatabase || !fromFlags || flags.instance !== undefined || flags.dbUrl !== undefined;
  let instance: ResolvedInstance | undefined;
  if (wantsInstance) {
    instance = await ctx.instance(flags, needsDatabase ? ['database', 'backups'] : ['backups']);
  } else {
    // --storage alone: the default instance, when there is one, still supplies the key and the
    // retention; only its backups part is resolved (no database, no sandbox start)
    instance = await ctx.instance(flags, ['backups']).catch(async (error: unknown) => {
      const { InstanceNotFoundError } = await import('@supaops/config');
      const note = `the default instance's backups settings are not used: ${(error as Error).message}`;
      if (InstanceNotFoundError.isInstance(error)) ctx.debug(note);
      else ctx.warn(note);
      return undefined;
    });
  }
  return { instance, ...(await storageAndKey(ctx, input.options, instance)) };
}

/**
 * The storage and key of a backup of `instance`: the flags (STORAGE_OPTIONS, KEY_OPTIONS) first,
 * then its `backups` config. Also used by `promote`, whose target is backed up first.
 */
export async function storageAndKey(
  ctx: CommandContext,
  options: Record<string, unknown>,
  instance: ResolvedInstance | undefined,
): Promise<{ storage: BackupStorage; key: KeySource | undefined }> {
  const spec = storageFromFlags(ctx, options) ?? instance?.backups?.storage;
  if (!spec) {
    throw new CliError(
      'BACKUP_STORAGE_MISSING',
      `No backup storage for ${instance ? `instance "${instance.name}"` : 'this run'}.`,
      {
        exitCode: EXIT_CODES.usage,
        fix: `Pass --storage DIR (or s3://bucket/prefix), or configure it: supaops instances add ${instance?.name ?? 'NAME'} --backup-dir DIR --replace`,
      },
    );
  }
  const key = (await keyFromFlags(ctx, options)) ?? (await keyFromInstance(instance));
  return { storage: await createStorage(spec), key };
}
