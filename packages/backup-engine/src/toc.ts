import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeTransforms, type LoadedBackup } from './backup-store.js';
import { BackupError } from './errors.js';
import { type PgTool, spawnTool } from './pg-tools.js';
import type { BackupStorage } from './storage/types.js';
import type { InstanceKind, TocTarget } from './toc-target.js';

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

/** Instance-level objects a Supabase target already has: reconciled, not recreated. */
const INSTANCE_OBJECT = /^\d+; \d+ \d+ (EXTENSION|PUBLICATION|EVENT TRIGGER) - (\S+)/;
const EXTENSION_COMMENT = /^\d+; \d+ \d+ COMMENT - EXTENSION (\S+)/;
export interface FilteredToc {
  list: string;
  /** Entries left out because the restoring role may not apply them (DEFAULT ACL). */
  skipped: string[];
  /** Instance objects the target already had, left as they are (extensions, publications, event triggers). */
  reconciled: string[];
  /** Why the archive cannot apply here (an extension the target lacks and the role may not create). */
  problems: string[];
}

/**
 * Comments out the TOC entries that cannot apply to the target:
 * - `SCHEMA` entries of schemas the target already has (a fresh database already has `public`;
 *   `pg_dump --schema=public` would otherwise fail on `CREATE SCHEMA public`), unless `clean`;
 * - for a non-superuser, `DEFAULT ACL` entries of roles it is not a member of (on Supabase,
 *   `supabase_admin`'s default privileges, which the target instance already has);
 * - extensions, publications and event triggers the target already has (a Supabase instance
 *   creates pgcrypto, `supabase_realtime` and its event triggers itself: recreating them fails
 *   with "must be owner of extension" for `postgres`), and the comments on those extensions.
 *   Publication memberships (`PUBLICATION TABLE`) still apply.
 * Extensions the target lacks are checked: not available, or not trusted for a non-superuser,
 * is a problem reported before anything is written.
 */
export async function filterToc(
  target: TocTarget,
  listing: string,
  options: { superuser: boolean; clean: boolean },
): Promise<FilteredToc> {
  const skipped: string[] = [];
  const reconciled: string[] = [];
  const problems: string[] = [];
  const present = new Set<string>();
  const membership = new Map<string, boolean>();
  const lines: string[] = [];
  for (const line of listing.split('\n')) {
    let skip = false;
    const trimmed = line.trim();
    const schema = /^\d+; \d+ \d+ SCHEMA - (\S+) \S+$/.exec(trimmed);
    const instance = INSTANCE_OBJECT.exec(trimmed);
    const comment = EXTENSION_COMMENT.exec(trimmed);
    if (schema && !options.clean) {
      skip = await target.hasSchema(schema[1]!);
      if (skip) skipped.push(line.replace(/^\d+;\s*\d+\s+\d+\s+/, ''));
    } else if (instance && !options.clean) {
      const [, kind, name] = instance as unknown as [string, InstanceKind, string];
      const detail = await target.instanceObject(kind, name);
      if (detail !== undefined) {
        present.add(`${kind}:${name}`);
        reconciled.push(
          `${kind.toLowerCase()} ${name}: already in the target (${kind === 'EXTENSION' ? `version ${detail}` : kind === 'PUBLICATION' ? `owner ${detail}` : `on ${detail}`}), kept as it is`,
        );
        skip = true;
      } else if (kind === 'EVENT TRIGGER' && !options.superuser) {
        problems.push(
          `event trigger ${name} is missing in the target and only a superuser may create it (the Supabase image creates its own; restore as supabase_admin, or into an instance that has it)`,
        );
      } else if (kind === 'EXTENSION') {
        const available = await target.extension(name);
        if (!available) {
          problems.push(
            `extension ${name} is not available on the target server (install its package there)`,
          );
        } else if (!options.superuser && available.superuser && !available.trusted) {
          problems.push(
            `extension ${name} is missing in the target and only a superuser may create it (create it there first, or restore as a superuser)`,
          );
        }
      }
    } else if (comment && present.has(`EXTENSION:${comment[1]}`)) {
      skip = true;
    } else if (!options.superuser && !line.startsWith(';') && / DEFAULT ACL /.test(line)) {
      const owner = trimmed.split(/\s+/).at(-1)!;
      if (!membership.has(owner)) membership.set(owner, await target.isMember(owner));
      skip = !membership.get(owner);
      if (skip) skipped.push(line.replace(/^\d+;\s*\d+\s+\d+\s+/, ''));
    }
    lines.push(skip ? `;${line}` : line);
  }
  return { list: lines.join('\n'), skipped, reconciled, problems };
}
