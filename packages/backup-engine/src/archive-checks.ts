import type { LoadedBackup } from './backup-store.js';
import { RestoreError } from './errors.js';
import type { ManifestPart } from './manifest.js';
import type { PgTool } from './pg-tools.js';
import type { StagedParts } from './stage-parts.js';
import type { BackupStorage } from './storage/types.js';
import { type FilteredToc, filterToc, readToc } from './toc.js';
import type { TocTarget } from './toc-target.js';

export interface ArchiveCheck {
  part: ManifestPart;
  filtered: FilteredToc;
}

/**
 * Reads the TOC of every `full` part from its verified bytes and filters it for the target
 * (filterToc): what a restore leaves out, keeps, or cannot apply, found before anything is written.
 */
export async function checkArchives(
  storage: BackupStorage,
  loaded: LoadedBackup,
  staged: StagedParts,
  tool: PgTool,
  target: TocTarget,
  options: { superuser: boolean; clean: boolean },
): Promise<ArchiveCheck[]> {
  const checks: ArchiveCheck[] = [];
  for (const part of loaded.manifest.parts.filter((p) => p.restore === 'full')) {
    const listing = await readToc(storage, loaded, part.key, tool, () => staged.open(part));
    checks.push({ part, filtered: await filterToc(target, listing, options) });
  }
  return checks;
}

/** The refusal of a part the target cannot take as it is (filterToc's problems). */
export function incompatibleError(check: ArchiveCheck): RestoreError | undefined {
  const { part, filtered } = check;
  if (filtered.problems.length === 0) return undefined;
  return new RestoreError(
    'RESTORE_TARGET_INCOMPATIBLE',
    `The target cannot take the ${part.name} part as it is: ${filtered.problems.join('; ')}. Nothing was restored.`,
  );
}
