import { z } from 'zod';
import { compareVersions, type LocalMigration, type LocalScan } from './files.js';
import type { RemoteHistory, RemoteMigration } from './history.js';
import { validate } from './validate.js';

export type MigrationState = 'applied' | 'pending' | 'missing-locally' | 'out-of-order';
/** `changed`: the file differs from what was applied; `unknown`: nothing to compare against. */
export type DriftState = 'none' | 'changed' | 'unknown';

export interface StatusEntry {
  version: string;
  name: string;
  file: string | null;
  local: boolean;
  remote: boolean;
  state: MigrationState;
  drift: DriftState;
  /** What the drift check compared: our stored SHA-256, or (for CLI-applied rows) the stored statements. */
  driftBasis: 'sha256' | 'statements' | null;
  localSha256: string | null;
  appliedSha256: string | null;
  appliedAt: string | null;
  appliedBy: string | null;
  durationMs: number | null;
  repairedAt: string | null;
  hasDownFile: boolean;
  noTransaction: boolean;
}

export interface MigrationStatus {
  dir: string;
  historyTableExists: boolean;
  entries: StatusEntry[];
  summary: {
    local: number;
    applied: number;
    pending: number;
    missingLocally: number;
    outOfOrder: number;
    drifted: number;
  };
  /** Versions per problem kind, for quick checks. */
  pending: string[];
  missingLocally: string[];
  outOfOrder: string[];
  drifted: string[];
  skippedFiles: string[];
  orphanDownFiles: string[];
  /** Down files the Supabase CLI would run as migrations (move them to the down directory). */
  cliVisibleDownFiles: string[];
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

function driftOf(
  local: LocalMigration,
  remote: RemoteMigration,
): { drift: DriftState; basis: StatusEntry['driftBasis'] } {
  const stored = remote.statements;
  if (remote.meta?.sha256) {
    if (remote.meta.sha256 === local.sha256) return { drift: 'none', basis: 'sha256' };
    // Bytes differ, but if every statement is byte-identical to what ran (only white space
    // between statements changed, e.g. a file rebuilt by fetch), the SQL did not change.
    const same =
      stored !== null &&
      stored.length === local.statements.length &&
      stored.every((s, i) => s === local.statements[i]?.text);
    return { drift: same ? 'none' : 'changed', basis: 'sha256' };
  }
  if (!stored) return { drift: 'unknown', basis: null };
  const b = local.statements;
  const same =
    stored.length === b.length &&
    stored.every((s, i) => normalize(s) === normalize(b[i]?.text ?? ''));
  return { drift: same ? 'none' : 'changed', basis: 'statements' };
}

/** Compares local files with remote history. Pure: no I/O. */
export function computeStatus(
  dir: string,
  scan: LocalScan,
  history: RemoteHistory,
): MigrationStatus {
  const remoteByVersion = new Map(history.rows.map((r) => [r.version, r]));
  const localByVersion = new Map(scan.migrations.map((m) => [m.version, m]));
  let maxRemote: string | undefined;
  for (const r of history.rows) {
    if (!maxRemote || compareVersions(r.version, maxRemote) > 0) maxRemote = r.version;
  }
  const versions = [...new Set([...remoteByVersion.keys(), ...localByVersion.keys()])].sort(
    compareVersions,
  );
  const entries: StatusEntry[] = versions.map((version) => {
    const l = localByVersion.get(version);
    const r = remoteByVersion.get(version);
    let state: MigrationState;
    let drift: DriftState = 'none';
    let basis: StatusEntry['driftBasis'] = null;
    if (l && r) {
      state = 'applied';
      ({ drift, basis } = driftOf(l, r));
    } else if (r) {
      state = 'missing-locally';
      drift = 'unknown';
    } else {
      state = maxRemote && compareVersions(version, maxRemote) < 0 ? 'out-of-order' : 'pending';
    }
    return {
      version,
      name: l?.name ?? r?.name ?? '',
      file: l?.file ?? null,
      local: Boolean(l),
      remote: Boolean(r),
      state,
      drift,
      driftBasis: basis,
      localSha256: l?.sha256 ?? null,
      appliedSha256: r?.meta?.sha256 ?? null,
      appliedAt: r?.meta?.appliedAt ?? null,
      appliedBy: r?.meta?.appliedBy ?? null,
      durationMs: r?.meta?.durationMs ?? null,
      repairedAt: r?.meta?.repairedAt ?? null,
      hasDownFile: Boolean(l?.down),
      noTransaction: l?.noTransaction ?? r?.meta?.noTransaction ?? false,
    };
  });
  const pick = (f: (e: StatusEntry) => boolean) => entries.filter(f).map((e) => e.version);
  const pending = pick((e) => e.state === 'pending');
  const missingLocally = pick((e) => e.state === 'missing-locally');
  const outOfOrder = pick((e) => e.state === 'out-of-order');
  const drifted = pick((e) => e.drift === 'changed');
  return {
    dir,
    historyTableExists: history.exists,
    entries,
    summary: {
      local: scan.migrations.length,
      applied: history.rows.length,
      pending: pending.length,
      missingLocally: missingLocally.length,
      outOfOrder: outOfOrder.length,
      drifted: drifted.length,
    },
    pending,
    missingLocally,
    outOfOrder,
    drifted,
    skippedFiles: scan.skipped,
    orphanDownFiles: scan.orphanDownFiles,
    cliVisibleDownFiles: scan.cliVisibleDownFiles,
  };
}

const statusShape = z.object({
  entries: z.array(
    z.object({ version: z.string(), name: z.string(), state: z.string(), drift: z.string() }),
  ),
  summary: z.object({
    local: z.number(),
    applied: z.number(),
    pending: z.number(),
    missingLocally: z.number(),
    outOfOrder: z.number(),
    drifted: z.number(),
  }),
  skippedFiles: z.array(z.string()),
});

/** A human table in the spirit of `supabase migration list`, with our extra columns. */
export function formatStatusTable(status: MigrationStatus): string {
  validate(statusShape, status, 'formatStatusTable(status)');
  const head = ['LOCAL', 'REMOTE', 'APPLIED AT (UTC)', 'STATE', 'DRIFT', 'NAME'];
  const rows = status.entries.map((e) => [
    e.local ? e.version : '',
    e.remote ? e.version : '',
    e.appliedAt ? e.appliedAt.replace('T', ' ').slice(0, 19) : '',
    e.state,
    e.drift === 'changed' ? 'CHANGED' : e.drift === 'unknown' ? '?' : '',
    e.name,
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join(' | ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)];
  const s = status.summary;
  out.push(
    '',
    `${s.local} local, ${s.applied} applied, ${s.pending} pending, ${s.outOfOrder} out of order, ` +
      `${s.missingLocally} missing locally, ${s.drifted} drifted`,
  );
  const visible = status.cliVisibleDownFiles ?? [];
  if (visible.length > 0) {
    out.push(
      `warning: ${visible.length} down file(s) next to the migrations (${visible.join(', ')}); ` +
        'the Supabase CLI would run them as migrations. Move them to the down/ directory.',
    );
  }
  if (status.skippedFiles.length > 0)
    out.push(`skipped (not migrations): ${status.skippedFiles.join(', ')}`);
  return `${out.join('\n')}\n`;
}
