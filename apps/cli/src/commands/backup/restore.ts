import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { parseInteger } from '../shared.js';
import { KEY_OPTIONS, openBackupTarget, STORAGE_OPTIONS } from './storage.js';

export const backupRestore: CommandDef = {
  name: 'restore',
  description:
    "Restore a backup into the instance's database (or --target), checking row counts; asks first",
  arguments: [{ name: '<id>', description: 'the backup id' }],
  options: [
    ...STORAGE_OPTIONS,
    ...KEY_OPTIONS,
    { flags: '--target <url>', description: "restore here instead of the instance's database" },
    { flags: '--clean', description: 'drop the objects the backup recreates first' },
    { flags: '--atomic', description: 'restore into a new database, then swap it in by rename' },
    { flags: '--force', description: 'restore into a non-empty or older server anyway' },
    {
      flags: '--jobs <n>',
      description: 'parallel pg_restore jobs (no single transaction)',
      parse: parseInteger(1),
    },
    { flags: '--template <database>', description: 'template for databases the restore creates' },
    { flags: '-y, --yes', description: 'do not ask' },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops backup restore ID --instance staging --yes',
      description: "into staging's database",
    },
    {
      command: 'supaops backup restore ID --instance prod --atomic',
      description: 'swap in only after it restored and verified',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const id = String(input.args[0]);
    const targetFlag = optString(options.target);
    const { instance, storage, key } = await openBackupTarget(ctx, input, !targetFlag);
    const target = targetFlag ?? ctx.databaseUrl(instance!);
    if (targetFlag) {
      const { parseConnectionTarget } = await import('@supaops/pg-connect');
      ctx.redactor.add(parseConnectionTarget(targetFlag).password);
    }
    await ctx.confirm(
      `Restore backup ${id} into ${targetFlag ? 'the --target database' : `instance "${instance!.name}"`}?`,
      optBool(options.yes),
    );
    const progress = await ctx.progress('restore', 'bytes');
    const { restoreBackup } = await import('@supaops/backup-engine');
    const jobs = optNumber(options.jobs);
    const template = optString(options.template);
    const result = await restoreBackup({
      storage,
      id,
      target,
      ...(key ? { key } : {}),
      clean: optBool(options.clean),
      atomic: optBool(options.atomic),
      force: optBool(options.force),
      ...(jobs ? { jobs } : {}),
      ...(template ? { template } : {}),
      signal: ctx.signal,
      onProgress: (e) => progress.update({ value: e.bytes, total: e.totalBytes, label: e.part }),
    });
    progress.stop();
    const data = {
      id,
      database: result.database,
      previousDatabase: result.previousDatabase ?? null,
      rowCounts: result.rowCounts,
      skippedEntries: result.skippedEntries,
      durationMs: result.durationMs,
    };
    return {
      data,
      human: (c) =>
        [
          `${c.green('restored')} ${id} into ${result.database} in ${result.durationMs} ms`,
          `  row counts: ${result.rowCounts.checked} tables checked, ${result.rowCounts.mismatches.length} mismatches`,
          ...(result.previousDatabase
            ? [`  the previous database is kept as ${result.previousDatabase}`]
            : []),
          ...(result.skippedEntries.length
            ? [c.dim(`  skipped: ${result.skippedEntries.join(', ')}`)]
            : []),
        ].join('\n'),
    };
  },
};
