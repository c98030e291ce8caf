import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { expect } from 'vitest';
import { type CliResult, json, runCli, type TempHome, tempHome } from './cli.js';
import { schemaErrors } from './schema.js';

export const BACKUP_PASSPHRASE = 'cli-test-backup-passphrase-3f9a7c';

export interface Project extends TempHome {
  configPath: string;
  /** Values that must never appear in any output. */
  secrets: string[];
  run(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
  ): Promise<CliResult>;
  /** Runs with --json, checks the exit code and the schema, returns the document. */
  runJson<T = Record<string, unknown>>(
    schema: string,
    args: string[],
    expectedCode?: number,
    options?: { env?: NodeJS.ProcessEnv; input?: string },
  ): Promise<T>;
}

export function expectNoSecrets(result: CliResult, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout, 'a secret reached stdout').not.toContain(secret);
    expect(result.stderr, 'a secret reached stderr').not.toContain(secret);
  }
}

/**
 * A temp project: supaops.config.json with instance `test` (the default) pointing at the test
 * database through an env: reference, local backup storage and an encryption passphrase.
 */
export async function testProject(
  db: TestDatabase,
  instance: Record<string, unknown> = {},
): Promise<Project> {
  const info = testServer();
  const home = await tempHome({
    SUPAOPS_TEST_DB_URL: db.url(),
    SUPAOPS_TEST_BACKUP_KEY: BACKUP_PASSPHRASE,
    ...(info.binDir ? { PG_BIN: info.binDir } : {}),
  });
  const configPath = path.join(home.project, 'supaops.config.json');
  const config = {
    version: 1,
    defaultInstance: 'test',
    instances: {
      test: {
        kind: 'self-hosted',
        description: 'the test database',
        database: { session: 'env:SUPAOPS_TEST_DB_URL' },
        backups: {
          storage: { type: 'local', dir: 'backups' },
          encryptionKey: 'env:SUPAOPS_TEST_BACKUP_KEY',
          retention: { keepLast: 2 },
        },
        ...instance,
      },
    },
    dokployServers: {},
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const secrets = [db.password, BACKUP_PASSPHRASE];
  const run: Project['run'] = async (args, options = {}) => {
    const result = await runCli(args, {
      cwd: home.project,
      env: { ...home.env, ...options.env },
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    expectNoSecrets(result, secrets);
    return result;
  };
  return {
    ...home,
    configPath,
    secrets,
    run,
    async runJson(schema, args, expectedCode = 0, options = {}) {
      const result = await run([...args, '--json'], options);
      expect(result.code, result.stderr + result.stdout).toBe(expectedCode);
      const data = json(result);
      expect(schemaErrors(expectedCode >= 2 ? 'error' : schema, data)).toEqual([]);
      return data as never;
    },
  };
}
