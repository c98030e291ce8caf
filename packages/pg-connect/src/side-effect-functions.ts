import type { DestructiveFinding, DestructiveKind } from './classification.js';
import type { SqlToken } from './sql-tokens.js';
import { isPunct } from './token-scan.js';

/**
 * Functions whose call changes something although the statement reads like a query. Built-ins
 * match unqualified or as pg_catalog.name; extension functions (pg_cron, pg_net, dblink) match
 * in any schema, since Supabase installs them in `extensions` or their own schema. User
 * functions cannot be known from the text: a SELECT of one stays read-only (see the README).
 */
const WRITERS: Record<string, string> = {
  nextval: 'advances a sequence',
  setval: 'sets a sequence',
  set_config: 'changes a setting',
  pg_notify: 'sends a notification',
  lo_create: 'creates a large object',
  lo_creat: 'creates a large object',
  lo_import: 'creates a large object',
  lo_from_bytea: 'creates a large object',
  lo_put: 'writes a large object',
  lowrite: 'writes a large object',
  lo_truncate: 'truncates a large object',
  pg_cancel_backend: 'cancels another session’s query',
  pg_reload_conf: 'reloads the server configuration',
  pg_rotate_logfile: 'rotates the server log',
  pg_switch_wal: 'switches the WAL file',
  pg_create_restore_point: 'creates a restore point',
  pg_create_physical_replication_slot: 'creates a replication slot',
  pg_create_logical_replication_slot: 'creates a replication slot',
  pg_replication_slot_advance: 'advances a replication slot',
  pg_logical_slot_get_changes: 'consumes a replication slot’s changes',
  pg_logical_slot_get_binary_changes: 'consumes a replication slot’s changes',
  pg_stat_reset: 'resets statistics',
  pg_stat_statements_reset: 'resets statistics',
  dblink: 'runs SQL on another connection',
  schedule: 'schedules a cron job',
  unschedule: 'removes a cron job',
  http_get: 'sends an HTTP request',
  http_post: 'sends an HTTP request',
  http_delete: 'sends an HTTP request',
};

/** Extension functions, and the schema a bare name would be too generic without. */
const EXTENSION: Record<string, string | undefined> = {
  dblink: undefined,
  dblink_exec: undefined,
  schedule: 'cron',
  unschedule: 'cron',
  http_get: 'net',
  http_post: 'net',
  http_delete: 'net',
  pg_stat_statements_reset: undefined,
};

const DESTROYERS: Record<string, { kind: DestructiveKind; what: string }> = {
  pg_terminate_backend: { kind: 'DESTRUCTIVE_FUNCTION', what: 'ends other sessions' },
  pg_drop_replication_slot: {
    kind: 'DESTRUCTIVE_FUNCTION',
    what: 'drops a replication slot (replicas and Realtime lose their place)',
  },
  lo_unlink: { kind: 'DESTRUCTIVE_FUNCTION', what: 'deletes a large object' },
  dblink_exec: {
    kind: 'OPAQUE_BLOCK',
    what: 'runs SQL given as a string on another connection, which is not inspected',
  },
};

export interface FunctionEffects {
  /** Why the statement is not read-only (`nextval() advances a sequence`), when a call writes. */
  writes?: string;
  destroys?: DestructiveFinding;
}

function matches(name: string, schema: string | undefined): boolean {
  if (Object.hasOwn(EXTENSION, name)) {
    const required = EXTENSION[name];
    return required === undefined || schema === required;
  }
  return schema === undefined || schema === 'pg_catalog';
}

/** The calls `name(` / `schema.name(` in the tokens, at any depth, that write or destroy. */
export function functionEffects(tokens: SqlToken[]): FunctionEffects {
  const out: FunctionEffects = {};
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t.kind !== 'word' && t.kind !== 'ident') || !isPunct(tokens[i + 1], '(')) continue;
    const q = tokens[i - 2];
    const schema =
      isPunct(tokens[i - 1], '.') && (q?.kind === 'word' || q?.kind === 'ident')
        ? q.value
        : undefined;
    if (!matches(t.value, schema)) continue;
    const destroyer = Object.hasOwn(DESTROYERS, t.value) ? DESTROYERS[t.value] : undefined;
    if (destroyer && !out.destroys) {
      out.destroys = { kind: destroyer.kind, reason: `${t.value}() ${destroyer.what}` };
      out.writes ??= `${t.value}() ${destroyer.what}`;
    }
    const writer = Object.hasOwn(WRITERS, t.value) ? WRITERS[t.value] : undefined;
    if (writer) out.writes ??= `${t.value}() ${writer}`;
  }
  return out;
}
