import { writeFileAtomic } from './atomic-write.js';
import { readJsonFile } from './config-file.js';
import { CONFIG_SCHEMA_URL } from './constants.js';
import { ConfigFileError } from './errors.js';
import type { SupaopsConfig } from './types.js';
import { validateConfig } from './validate.js';

const ORDER = [
  '$schema',
  'version',
  'defaultInstance',
  'instances',
  'dokployServers',
  'secretStore',
  'audit',
  'mcp',
] as const;

/**
 * Validates (literal secrets are rejected) and writes a config file atomically with mode 0600.
 * The file's `$schema` is kept; a new file gets the published schema URL. Cross-references are
 * not checked: a project file may use a Dokploy server of the user file.
 */
export async function writeConfigFile(file: string, config: SupaopsConfig): Promise<void> {
  const valid = validateConfig(config, { crossReferences: false, file });
  let $schema = valid.$schema;
  if ($schema === undefined) {
    const existing = await readJsonFile(file).catch(() => undefined);
    const kept = (existing as { $schema?: unknown } | undefined)?.$schema;
    $schema = typeof kept === 'string' ? kept : CONFIG_SCHEMA_URL;
  }
  const ordered: Record<string, unknown> = {};
  const source = { ...valid, $schema } as Record<string, unknown>;
  for (const key of ORDER) if (source[key] !== undefined) ordered[key] = source[key];
  try {
    await writeFileAtomic(file, `${JSON.stringify(ordered, null, 2)}\n`);
  } catch (error) {
    throw new ConfigFileError(
      file,
      `Cannot write ${file}: ${(error as Error).message}. Fix: check that its directory is writable by this user.`,
      { cause: error },
    );
  }
}
