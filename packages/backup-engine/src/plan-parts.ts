import type pg from 'pg';
import type { CreateBackupResult, CreateOptions } from './backup-options.js';
import type { CompressionSettings } from './compression.js';
import { type Connection, quoteIdent } from './connection.js';
import { BackupError } from './errors.js';
import { findPgTool, type PgTool } from './pg-tools.js';
import { listTables, type TableInfo, unreadableSequences } from './row-counts.js';
import { SUPABASE_DATA_SCHEMAS, SUPABASE_EXCLUDED_DATA_TABLES } from './supabase.js';
import { extension, type PartPlan, rolesRewrite } from './write-part.js';

export interface PlanPartsInput {
  opts: CreateOptions;
  conn: Connection;
  compression: CompressionSettings;
  pgDump: PgTool;
  serverMajor: number;
  supabase: boolean;
  /** The exported snapshot every part is dumped in. */
  snapshot: string;
  includeSchemas: string[];
  excludeSchemas: string[];
  includeTables: string[];
  excludeTables: string[];
}

export interface PlannedParts {
  plans: PartPlan[];
  /** The tables whose rows are counted (in the same snapshot). */
  countTargets: TableInfo[];
  warnings: string[];
  leftOut: CreateBackupResult['leftOut'];
  fix: string | undefined;
}

/**
 * Decides what the backup consists of, inside the source's snapshot transaction: the
 * `database` part (pg_dump with the filters), for Supabase the `supabase-data` part of the
 * `auth`/`storage` tables the role may read (the others left out with a reason and a fix, or a
 * failure with `requireAllData`), and the `roles` part. Fails with `BACKUP_PERMISSION_DENIED`
 * when a table of the `database` part cannot be read.
 */
export async function planParts(client: pg.Client, input: PlanPartsInput): Promise<PlannedParts> {
  const {
    opts,
    conn,
    compression,
    pgDump,
    serverMajor,
    supabase,
    snapshot,
    includeSchemas,
    excludeSchemas,
    includeTables,
    excludeTables,
  } = input;
  const out: PlannedParts = {
    plans: [],
    countTargets: [],
    warnings: [],
    leftOut: [],
    fix: undefined,
  };
  const tables = await listTables(client, {
    includeSchemas,
    excludeSchemas,
    includeTables,
    excludeTables,
  });
  const unreadable = tables.filter((t) => !t.readable).map((t) => `${t.schema}.${t.table}`);
  if (unreadable.length > 0 && !opts.schemaOnly) {
    throw new BackupError(
      'BACKUP_PERMISSION_DENIED',
      `The role ${conn.user} may not read ${unreadable.length} table(s) the backup includes: ${unreadable.slice(0, 10).join(', ')}. ` +
        'Fix: back up as a role with SELECT on them (e.g. the database owner or postgres), or leave them out with excludeTables.',
    );
  }
  out.countTargets.push(...tables);

  const common = ['--format=custom', '--compress=0', `--snapshot=${snapshot}`];
  const filterArgs = [
    ...includeSchemas.map((s) => `--schema=${s}`),
    ...excludeSchemas.map((s) => `--exclude-schema=${s}`),
    ...includeTables.map((t) => `--table=${t}`),
    ...excludeTables.map((t) => `--exclude-table=${t}`),
  ];
  out.plans.push({
    name: 'database',
    file: `database.dump${extension(compression, Boolean(opts.encryption))}`,
    format: 'pg_dump-custom',
    restore: 'full',
    tool: pgDump,
    args: [
      ...common,
      ...(opts.schemaOnly ? ['--schema-only'] : []),
      ...(opts.dataOnly ? ['--data-only'] : []),
      ...filterArgs,
    ],
  });

  if (supabase && !opts.schemaOnly && includeTables.length === 0) {
    const present = (
      await client.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1',
        [SUPABASE_DATA_SCHEMAS],
      )
    ).rows
      .map((r) => r.nspname)
      .filter(
        (s) =>
          !(opts.excludeSchemas ?? []).includes(s) &&
          (includeSchemas.length === 0 || includeSchemas.includes(s)),
      );
    if (present.length > 0) {
      const dataTables = await listTables(client, {
        includeSchemas: present,
        excludeSchemas: [],
        includeTables: [],
        excludeTables: [...SUPABASE_EXCLUDED_DATA_TABLES, ...excludeTables],
      });
      const sequences = await unreadableSequences(client, present);
      const blockedBySequence = new Map(
        sequences.filter((q) => q.ownedBy).map((q) => [q.ownedBy!, q.sequence]),
      );
      const readable = dataTables.filter(
        (t) => t.readable && !blockedBySequence.has(`${t.schema}.${t.table}`),
      );
      const skipped = [
        ...dataTables.filter((t) => !t.readable).map((t) => `${t.schema}.${t.table}`),
        ...sequences.map((q) => q.sequence),
        ...blockedBySequence.keys(),
      ];
      const reasons = new Map<string, string>([
        ...sequences.map((q) => [q.sequence, `no SELECT privilege for ${conn.user}`] as const),
        ...[...blockedBySequence].map(
          ([table, sequence]) =>
            [table, `${conn.user} may not read its sequence ${sequence}`] as const,
        ),
      ]);
      const fix = (names: string[]) =>
        `back up as supabase_admin (the image's superuser), or as supabase_admin run GRANT SELECT ON ${names.join(', ')} TO ${quoteIdent(conn.user)}`;
      for (const name of skipped) {
        out.leftOut.push({
          object: name,
          reason: reasons.get(name) ?? `no SELECT privilege for ${conn.user}`,
        });
      }
      if (skipped.length > 0) out.fix = fix(skipped);
      if (opts.requireAllData && skipped.length > 0) {
        throw new BackupError(
          'BACKUP_PERMISSION_DENIED',
          `The role ${conn.user} may not read ${skipped.length} object(s) of ${present.join(', ')} that hold users' data: ${skipped.join(', ')}. Fix: ${fix(skipped)}; or allow leaving them out (requireAllData: false).`,
        );
      }
      if (readable.length === 0) {
        out.warnings.push(
          `supabase-data part skipped (permission denied): ${conn.user} may not read any table of ${present.join(', ')}`,
        );
      } else {
        for (const name of skipped) {
          out.warnings.push(
            `supabase-data: ${name} left out (permission denied: ${reasons.get(name) ?? `no SELECT privilege for ${conn.user}`})`,
          );
        }
        out.countTargets.push(...readable);
        out.plans.push({
          name: 'supabase-data',
          file: `supabase-data.dump${extension(compression, Boolean(opts.encryption))}`,
          format: 'pg_dump-custom',
          restore: 'data-only',
          tool: pgDump,
          schemas: present,
          optional: true,
          args: [
            ...common,
            '--data-only',
            ...present.map((s) => `--schema=${s}`),
            ...SUPABASE_EXCLUDED_DATA_TABLES.map((t) => `--exclude-table=${t}`),
            ...excludeTables.map((t) => `--exclude-table=${t}`),
            ...skipped.map((name) => {
              const dot = name.indexOf('.');
              return `--exclude-table=${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
            }),
          ],
        });
      }
    }
  }
  if (opts.roles ?? supabase) {
    try {
      const pgDumpall = await findPgTool('pg_dumpall', {
        minMajor: serverMajor,
        ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
      });
      out.plans.push({
        name: 'roles',
        file: `roles.sql${extension(compression, Boolean(opts.encryption))}`,
        format: 'sql',
        restore: 'manual',
        tool: pgDumpall,
        args: ['--roles-only', '--no-role-passwords'],
        optional: true,
        ...(supabase ? { rewrite: rolesRewrite } : {}),
      });
    } catch (error) {
      out.warnings.push(`roles part skipped: ${(error as Error).message}`);
    }
  }
  return out;
}
