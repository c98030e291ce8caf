import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { decodeTransforms, type LoadedBackup } from './backup-store.js';
import { type PgTool, spawnTool } from './pg-tools.js';
import type { BackupStorage } from './storage/types.js';

/** Feeds a decoded archive part to `pg_restore --list` and returns its table of contents. */
export async function readToc(
  storage: BackupStorage,
  loaded: LoadedBackup,
  key: string,
  tool: PgTool,
): Promise<string> {
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
  const source = await storage.get(key);
  // pg_restore stops reading after the TOC: a closed pipe afterwards is expected
  const feed = pipeline([source, ...decodeTransforms(loaded), run.child.stdin!]).catch(() => {});
  try {
    await run.exited;
  } finally {
    source.destroy();
  }
  await feed;
  return listing;
}

/**
 * Comments out the TOC entries a non-superuser cannot restore: `DEFAULT ACL` entries of roles
 * it is not a member of (on Supabase, `supabase_admin`'s default privileges, which the target
 * instance already has). Returns the filtered list and what was left out.
 */
export async function filterToc(
  client: pg.Client,
  listing: string,
): Promise<{ list: string; skipped: string[] }> {
  const skipped: string[] = [];
  const membership = new Map<string, boolean>();
  const lines: string[] = [];
  for (const line of listing.split('\n')) {
    if (!line.startsWith(';') && / DEFAULT ACL /.test(line)) {
      const owner = line.trim().split(/\s+/).at(-1)!;
      if (!membership.has(owner)) {
        const { rows } = await client.query<{ ok: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                  AND pg_has_role(current_user, $1, 'MEMBER') AS ok`,
          [owner],
        );
        membership.set(owner, Boolean(rows[0]?.ok));
      }
      if (!membership.get(owner)) {
        skipped.push(line.replace(/^\d+;\s*\d+\s+\d+\s+/, ''));
        lines.push(`;${line}`);
        continue;
      }
    }
    lines.push(line);
  }
  return { list: lines.join('\n'), skipped };
}
