import type pg from 'pg';

export type InstanceKind = 'EXTENSION' | 'PUBLICATION' | 'EVENT TRIGGER';

/**
 * What filterToc asks about the database an archive goes into. Schemas and instance objects
 * belong to that database; extension availability and role membership to the server.
 */
export interface TocTarget {
  hasSchema(name: string): Promise<boolean>;
  /** The object's detail (extension version, publication owner, trigger event), or undefined. */
  instanceObject(kind: InstanceKind, name: string): Promise<string | undefined>;
  /** Whether the server has the extension's files, and who may create it; undefined: none. */
  extension(name: string): Promise<{ trusted: boolean; superuser: boolean } | undefined>;
  /** Whether the role exists and the restoring role is a member of it. */
  isMember(role: string): Promise<boolean>;
}

const EXISTS_SQL: Record<InstanceKind, string> = {
  EXTENSION: 'SELECT extversion AS detail FROM pg_extension WHERE extname = $1',
  PUBLICATION: 'SELECT pg_get_userbyid(pubowner) AS detail FROM pg_publication WHERE pubname = $1',
  'EVENT TRIGGER': 'SELECT evtevent AS detail FROM pg_event_trigger WHERE evtname = $1',
};

function serverQuestions(client: pg.Client): Pick<TocTarget, 'extension' | 'isMember'> {
  return {
    async extension(name) {
      const { rows } = await client.query<{ trusted: boolean | null; superuser: boolean | null }>(
        `SELECT bool_or(trusted) AS trusted, bool_or(superuser) AS superuser
           FROM pg_available_extension_versions WHERE name = $1`,
        [name],
      );
      const row = rows[0];
      if (!row || row.trusted === null) return undefined;
      return { trusted: Boolean(row.trusted), superuser: Boolean(row.superuser) };
    },
    async isMember(role) {
      const { rows } = await client.query<{ ok: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                AND pg_has_role(current_user, $1, 'MEMBER') AS ok`,
        [role],
      );
      return Boolean(rows[0]?.ok);
    },
  };
}

/** The questions answered by a client connected to the database itself. */
export function databaseTocTarget(client: pg.Client): TocTarget {
  return {
    async hasSchema(name) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        name,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async instanceObject(kind, name) {
      const { rows } = await client.query<{ detail: string }>(EXISTS_SQL[kind], [name]);
      return rows[0]?.detail;
    },
    ...serverQuestions(client),
  };
}

/** What initdb puts into template0 (which accepts no connections, so cannot be asked). */
const TEMPLATE0_SCHEMAS = new Set(['public', 'pg_catalog', 'information_schema', 'pg_toast']);

/**
 * A database about to be created from template0, asked through a client on another database of
 * the same server: template0 is initdb's copy, kept unchangeable by refusing connections, so its
 * schemas are the fixed set above and its only extension is plpgsql (no publications, no event
 * triggers); the server-wide questions go to the server.
 */
export function template0TocTarget(server: pg.Client): TocTarget {
  return {
    async hasSchema(name) {
      return TEMPLATE0_SCHEMAS.has(name);
    },
    async instanceObject(kind, name) {
      if (kind !== 'EXTENSION' || name !== 'plpgsql') return undefined;
      const { rows } = await server.query<{ v: string }>(
        `SELECT default_version AS v FROM pg_available_extensions WHERE name = 'plpgsql'`,
      );
      return rows[0]?.v;
    },
    ...serverQuestions(server),
  };
}
