import type { CommandDef } from '../../command.js';
import { optBool, optNumber } from '../../command.js';
import { usageError } from '../../errors.js';
import { renderTable } from '../../output/table.js';
import { parseInteger } from '../shared.js';
import { openBackupTarget, STORAGE_OPTIONS } from './storage.js';

const DAY_MS = 86_400_000;

export const backupPrune: CommandDef = {
  name: 'prune',
  description:
    "Apply a retention policy (flags, else the instance's backups.retention); the newest verified backup is always kept",
  options: [
    ...STORAGE_OPTIONS,
    { flags: '--keep-last <n>', description: 'keep the newest n', parse: parseInteger(1) },
    {
      flags: '--keep-daily <n>',
      description: 'keep the newest of each of the last n days with backups',
      parse: parseInteger(1),
    },
    { flags: '--keep-weekly <n>', description: 'the same per ISO week', parse: parseInteger(1) },
    { flags: '--keep-monthly <n>', description: 'the same per month', parse: parseInteger(1) },
    {
      flags: '--keep-days <n>',
      description: 'keep everything younger than n days',
      parse: parseInteger(1),
    },
    { flags: '--dry-run', description: 'list what would be deleted' },
    { flags: '-y, --yes', description: 'do not ask' },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops backup prune --instance prod --dry-run',
      description: "what the instance's retention would delete",
    },
    {
      command: 'supaops backup prune --storage ./backups --keep-last 7 --keep-daily 14 --yes',
      description: 'an explicit policy',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const { instance, storage } = await openBackupTarget(ctx, input, false);
    const configured = instance?.backups?.retention ?? {};
    const flagged = {
      keepLast: optNumber(options.keepLast),
      keepDaily: optNumber(options.keepDaily),
      keepWeekly: optNumber(options.keepWeekly),
      keepMonthly: optNumber(options.keepMonthly),
      keepDays: optNumber(options.keepDays),
    };
    const anyFlag = Object.values(flagged).some((v) => v !== undefined);
    const policy = anyFlag
      ? flagged
      : { keepLast: configured.keepLast, keepDays: configured.keepDays };
    const rules = Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined));
    if (Object.keys(rules).length === 0) {
      throw usageError(
        'RETENTION_MISSING',
        'No retention policy: nothing says what to keep.',
        'Pass --keep-last N (and/or --keep-daily, --keep-days …), or set backups.retention in the config.',
      );
    }
    const dryRun = optBool(options.dryRun);
    if (!dryRun)
      await ctx.confirm('Delete the backups this policy does not keep?', optBool(options.yes));
    const { applyRetention } = await import('@supaops/backup-engine');
    const { keepDays, ...keep } = rules as Record<string, number>;
    const result = await applyRetention({
      storage,
      ...keep,
      ...(keepDays ? { olderThanMs: keepDays * DAY_MS } : {}),
      dryRun,
    });
    if (dryRun) ctx.audit.outcome = 'dry-run';
    const view = (d: { id: string; createdAt: Date; reasons: string[] }) => ({
      id: d.id,
      createdAt: d.createdAt.toISOString(),
      reasons: d.reasons,
    });
    const data = {
      storage: storage.description,
      dryRun: result.dryRun,
      policy: rules,
      kept: result.kept.map(view),
      deleted: result.deleted.map(view),
      orphans: result.orphans,
      protectedId: result.protectedId ?? null,
    };
    return {
      data,
      human: (c) => {
        const rows = [
          ...data.kept.map((d) => ({ ...d, action: 'keep' })),
          ...data.deleted.map((d) => ({ ...d, action: dryRun ? 'would delete' : 'deleted' })),
        ];
        const table = rows.length
          ? renderTable(
              rows,
              [
                {
                  header: 'ACTION',
                  value: (r) => (r.action === 'keep' ? c.green(r.action) : c.yellow(r.action)),
                },
                { header: 'ID', value: (r) => r.id },
                { header: 'CREATED', value: (r) => r.createdAt },
                { header: 'WHY', value: (r) => r.reasons.join(', ') },
              ],
              c,
            )
          : `No backups in ${storage.description}.`;
        const orphans = data.orphans.length
          ? `\n${data.orphans.length} orphaned objects ${dryRun ? 'would be' : 'were'} removed`
          : '';
        return `${table}${orphans}`;
      },
    };
  },
};
