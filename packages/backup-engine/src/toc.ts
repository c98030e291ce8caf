import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { decodeTransforms, type LoadedBackup } from './backup-store.js';
import { BackupError } from './errors.js';
import { type PgTool, spawnTool } from './pg-tools.js';
import type { BackupStorage } from './storage/types.js';

/**
 * Feeds a decoded archive part to `pg_restore --list` and returns its table of contents.
 * The object is opened before pg_restore starts (a missing part fails at once instead of
 * leaving a pg_restore waiting on its stdin), and pg_restore is killed on any failure.
 */
export async function readToc(
  storage: BackupStorage,
  loaded: LoadedBackup,
  key: string,
  tool: PgTool,
  open: () => Promise<Readable> = () => storage.get(key),
): Promise<string> {
  const source = await open();
  const run = spawnTool(tool, ['--list'], {
    env: process.env,
    stdin: 'pipe',
    stdout: 'pipe',
    secrets: [],
  });
  let listing = '';
  run.child.stdout!.setEncoding('utf8');
  run.child.stdout!.on('data', (chunk: string) => {
    listing += chunk;
  });
  // pg_restore stops reading after the TOC: a closed pipe afterwards is expected
  let feedError: unknown;
  const feed = pipeline([source, ...decodeTransforms(loaded), run.child.stdin!]).catch(
    (error: unknown) => {
      feedError = error;
      // a decode failure ends the input early; pg_restore must not wait for more
      if (run.child.exitCode === null) run.child.stdin?.destroy();
    },
  );
  try {
    await run.exited;
  } catch (error) {
    await feed;
    // a decode failure (integrity, key) explains pg_restore's premature end of input
    throw BackupError.isInstance(feedError) ? feedError : error;
  } finally {
    source.destroy();
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }
  await feed;
  return listing;
}

/**
 * Comments out the TOC entries that cannot apply to the target:
 * - `SCHEMA` entries of schemas the target already has (a fresh database already has `public`;
 *   `pg_dump --schema=public` would otherwise fail on `CREATE SCHEMA public`), unless `clean`;
 * - for a non-superuser, `DEFAULT ACL` entries of roles it is not a member of (on Supabase,
 *   `supabase_admin`'s default privileges, which the target instance already has).
 * Returns the filtered list and the entries left out.
 */
export async function filterToc(
  client: pg.Client,
  listing: string,
  options: { superuser: boolean; clean: boolean },
): Promise<{ list: string; skipped: string[] }> {
  const skipped: string[] = [];
  const membership = new Map<string, boolean>();
  const lines: string[] = [];
  for (const line of listing.split('\n')) {
    let skip = false;
    const schema = /^\d+; \d+ \d+ SCHEMA - (\S+) \S+$/.exec(line.trim());
    if (schema && !options.clean) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        schema[1],
      ]);
      skip = (rowCount ?? 0) > 0;
    } else if (!options.superuser && !line.startsWith(';') && / DEFAULT ACL /.test(line)) {
      const owner = line.trim().split(/\s+/).at(-1)!;
      if (!membership.has(owner)) {
        const { rows } = await client.query<{ ok: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                  AND pg_has_role(current_user, $1, 'MEMBER') AS ok`,
          [owner],
        );
        membership.set(owner, Boolean(rows[0]?.ok));
      }
      skip = !membership.get(owner);
    }
    if (skip) {
      skipped.push(line.replace(/^\d+;\s*\d+\s+\d+\s+/, ''));
      lines.push(`;${line}`);
    } else {
      lines.push(line);
    }
  }
  return { list: lines.join('\n'), skipped };
}
