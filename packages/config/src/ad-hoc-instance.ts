import path from 'node:path';
import { z } from 'zod';
import { connectionStringForm, connectionStringPassword } from './connection-string.js';
import { ConfigValidationError } from './errors.js';
import { parseWith } from './issues.js';
import { DEFAULT_MIGRATIONS_DIR } from './normalize.js';
import type { ResolvedInstance } from './types.js';

const adHocSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    migrationsDir: z.string().min(1).optional(),
    cwd: z.string().min(1).optional(),
  })
  .optional();

/** An instance for a connection string given on the command line (--db-url); nothing is read. */
export function adHocInstance(
  url: string,
  options?: { name?: string; migrationsDir?: string; cwd?: string },
): ResolvedInstance {
  parseWith(z.string(), url, 'connection string');
  const opts = parseWith(adHocSchema, options, 'adHocInstance options') ?? {};
  if (connectionStringForm(url) === null) {
    throw new ConfigValidationError('connection string', [
      {
        path: 'url',
        message:
          'is not a PostgreSQL connection string. Fix: pass postgres://user:password@host:5432/postgres',
      },
    ]);
  }
  const password = connectionStringPassword(url);
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  return {
    name: opts.name ?? 'db-url',
    kind: 'self-hosted',
    production: false,
    labels: {},
    database: { session: url },
    migrationsDir: path.resolve(cwd, opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR),
    allowServiceKey: false,
    secrets: password === undefined || password === '' ? [] : [password],
  };
}
