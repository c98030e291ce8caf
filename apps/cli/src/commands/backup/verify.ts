import type { CommandDef } from '../../command.js';
import { optString } from '../../command.js';
import { classifyError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { formatBytes } from '../../output/table.js';
import { KEY_OPTIONS, openBackupTarget, STORAGE_OPTIONS } from './storage.js';

export const backupVerify: CommandDef = {
  name: 'verify',
  description:
    'Download, decrypt, decompress and hash every part against the manifest; --restore-test also restores it into a scratch database',
  arguments: [{ name: '<id>', description: 'the backup id (see backup list)' }],
  options: [
    ...STORAGE_OPTIONS,
    ...KEY_OPTIONS,
    {
      flags: '--restore-test <url>',
      description:
        'a server to restore into a scratch database (dropped afterwards) and compare row counts',
    },
    {
      flags: '--template <database>',
      description:
        'template of the scratch database (a Supabase backup needs a Supabase-initialised one)',
    },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops backup verify 20260101T020000Z-3f2a1b --instance prod',
      description: 'check integrity end to end',
    },
    {
      command:
        'supaops backup verify ID --storage ./backups --key-file backup.key --restore-test "$SCRATCH_URL"',
      description: 'and prove it restores',
    },
  ],
  async action(ctx, input) {
    const id = String(input.args[0]);
    const { storage, key } = await openBackupTarget(ctx, input, false);
    const server = optString(input.options.restoreTest);
    const template = optString(input.options.template);
    const progress = await ctx.progress('verify', 'bytes');
    const engine = await import('@supaops/backup-engine');
    try {
      const result = await engine.verifyBackup({
        storage,
        id,
        ...(key ? { key } : {}),
        ...(server ? { restoreTest: { server, ...(template ? { template } : {}) } } : {}),
        signal: ctx.signal,
        onProgress: (e) => progress.update({ value: e.bytes, total: e.totalBytes, label: e.part }),
      });
      progress.stop();
      const restore = result.restoreTest;
      const data = {
        id,
        ok: true,
        manifestAuthentication: result.manifestAuthentication,
        parts: result.parts,
        ...(restore
          ? {
              restoreTest: {
                scratchDatabase: restore.scratchDatabase,
                rowCounts: restore.rowCounts,
                durationMs: restore.durationMs,
              },
            }
          : {}),
        verifiedAt: result.verifiedAt,
      };
      return {
        data,
        human: (c) =>
          [
            `${c.green('verified')} ${id} (manifest ${result.manifestAuthentication})`,
            ...result.parts.map(
              (p) =>
                `  ${p.name}: ${formatBytes(p.rawSize)}${p.tocEntries === undefined ? '' : `, ${p.tocEntries} entries`}`,
            ),
            ...(restore
              ? [
                  `  restore test: ${restore.rowCounts.checked} tables compared, ${restore.rowCounts.mismatches.length} mismatches`,
                ]
              : []),
          ].join('\n'),
      };
    } catch (error) {
      // a backup that fails its checks (integrity, or a key that does not open it) is a finding,
      // exit 1; a missing or malformed key, storage and tool failures stay errors
      const finding =
        engine.BackupIntegrityError.isInstance(error) ||
        engine.BackupKeyWrongError.isInstance(error);
      if (!finding) throw error;
      progress.stop();
      const { code, message, fix } = classifyError(error);
      return {
        data: { id, ok: false, error: { code, message, ...(fix ? { fix } : {}) } },
        exitCode: EXIT_CODES.failedChecks,
        human: (c) =>
          `${c.red('failed')} ${id}: ${code} ${message}${fix ? `\n  ${c.cyan('fix:')} ${fix}` : ''}`,
      };
    }
  },
};
