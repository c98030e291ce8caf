import type { MigrationStatus, StatusEntry } from '@supaops/migrator';
import type { Divergence } from './promote-errors.js';

/** One migration as the sync reports it. */
export interface MigrationRef {
  readonly version: string;
  readonly name: string;
  readonly file: string | null;
  /** SHA-256 of what was applied (or of the file, for a CLI-applied row whose SQL matches it). */
  readonly sha256: string | null;
}

export interface SkippedMigration extends MigrationRef {
  readonly reason: string;
}

/** What a sync would do, decided from the two histories and the migrations directory. */
export interface SyncPlan {
  /** Applied on the source, missing on the target: these are applied, in file-name order. */
  readonly toApply: readonly MigrationRef[];
  /** Applied on both with the same checksum. */
  readonly alreadyPresent: readonly MigrationRef[];
  /** In the directory but not applied on the source: not promoted. */
  readonly skipped: readonly SkippedMigration[];
  /** Why the target cannot be brought to the source's history; a sync refuses while not empty. */
  readonly divergence: readonly Divergence[];
}

/** The checksum a history entry stands for, or null when nothing can vouch for it. */
export function entryChecksum(e: StatusEntry): string | null {
  if (e.appliedSha256) return e.appliedSha256;
  return e.local && e.drift === 'none' ? e.localSha256 : null;
}

const ref = (e: StatusEntry): MigrationRef => ({
  version: e.version,
  name: e.name,
  file: e.file,
  sha256: entryChecksum(e),
});

const applied = (s: MigrationStatus) =>
  new Map(s.entries.filter((e) => e.remote).map((e) => [e.version, e]));

/** Whether two applied entries of one version are the same migration. */
function sameChecksum(s: StatusEntry, t: StatusEntry): boolean {
  const a = entryChecksum(s);
  const b = entryChecksum(t);
  if (a !== null && b !== null) return a === b;
  // a CLI row without our checksum: its drift against the same file decides
  return (s.drift === 'changed') === (t.drift === 'changed');
}

/**
 * Compares the source's and the target's histories, both read against the source's migrations
 * directory (migrator `status()`), and plans the sync. Pure: no I/O.
 */
export function planSync(source: MigrationStatus, target: MigrationStatus): SyncPlan {
  const src = applied(source);
  const tgt = applied(target);
  const divergence: Divergence[] = [];
  for (const t of tgt.values()) {
    if (src.has(t.version)) continue;
    divergence.push({
      kind: 'target-only',
      version: t.version,
      name: t.name,
      detail: 'applied on the target but not on the source',
      fix: `apply it on the source first (promotion goes one way), or undo it on the target (its down file; migrator repair --status reverted ${t.version} if it never really ran)`,
    });
  }
  const toApply: MigrationRef[] = [];
  const alreadyPresent: MigrationRef[] = [];
  for (const s of src.values()) {
    const t = tgt.get(s.version);
    if (!s.local) {
      divergence.push({
        kind: 'source-file-missing',
        version: s.version,
        name: s.name,
        detail: 'applied on the source, but its file is not in the migrations directory',
        fix: 'restore the file (migrator fetch on the source rebuilds it from the history)',
      });
      continue;
    }
    if (t) {
      if (s.name && t.name && s.name !== t.name) {
        divergence.push({
          kind: 'name-mismatch',
          version: s.version,
          name: s.name,
          detail: `the target applied this version as "${t.name}"`,
          fix: 'two different migrations share the version: rename one of the files to a new timestamp',
        });
      } else if (!sameChecksum(s, t)) {
        divergence.push({
          kind: 'checksum-mismatch',
          version: s.version,
          name: s.name,
          detail: 'the target applied other SQL under this version than the source did',
          fix: 'find out which SQL is right; put the difference in a new migration and, after checking, re-record the version with migrator repair --status applied',
        });
      } else alreadyPresent.push(ref(s));
      continue;
    }
    if (s.drift === 'changed') {
      divergence.push({
        kind: 'source-file-changed',
        version: s.version,
        name: s.name,
        detail:
          'the file was edited after the source applied it, so the target would get other SQL',
        fix: 'revert the edit and put the change in a new migration (or accept the file on the source with migrator repair --status applied)',
      });
      continue;
    }
    toApply.push(ref(s));
  }
  const skipped: SkippedMigration[] = source.entries
    .filter((e) => e.local && !e.remote && !tgt.has(e.version))
    .map((e) => ({
      ...ref(e),
      reason: 'in the migrations directory but not applied on the source: not promoted',
    }));
  return { toApply, alreadyPresent, skipped, divergence };
}

/** Versions where the two histories differ (one lacks it, or other SQL), after a sync. */
export function historyDifferences(source: MigrationStatus, target: MigrationStatus): string[] {
  const src = applied(source);
  const tgt = applied(target);
  const versions = [...new Set([...src.keys(), ...tgt.keys()])].sort();
  return versions.filter((v) => {
    const s = src.get(v);
    const t = tgt.get(v);
    return !s || !t || s.name !== t.name || !sameChecksum(s, t);
  });
}

/** A history as reported: version, name and checksum of every applied migration. */
export function historyOf(status: MigrationStatus): MigrationRef[] {
  return status.entries.filter((e) => e.remote).map(ref);
}
