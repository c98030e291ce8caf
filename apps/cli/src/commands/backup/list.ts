import type { CommandDef } from '../../command.js';
import { formatBytes, renderTable } from '../../output/table.js';
import { openBackupTarget, STORAGE_OPTIONS } from './storage.js';

export const backupList: CommandDef = {
  name: 'list',
  description: 'Complete backups in the storage, oldest first, with their verification time',
  options: STORAGE_OPTIONS,
  database: true,
  examples: [
    { command: 'supaops backup list --instance prod', description: "the instance's backups" },
    {
      command: 'supaops backup list --storage ./backups --json',
      description: 'a directory, as JSON',
    },
  ],
  async action(ctx, input) {
    const { storage } = await openBackupTarget(ctx, input, false);
    const { listBackups } = await import('@supaops/backup-engine');
    const backups = (await listBackups(storage)).map((b) => ({
      id: b.id,
      createdAt: b.createdAt.toISOString(),
      verifiedAt: b.verifiedAt ? b.verifiedAt.toISOString() : null,
      storedSize: b.storedSize,
      tags: b.tags,
    }));
    return {
      data: { storage: storage.description, backups },
      human: (c) =>
        backups.length === 0
          ? `No backups in ${storage.description}.`
          : renderTable(
              backups,
              [
                { header: 'ID', value: (b) => b.id },
                { header: 'CREATED', value: (b) => b.createdAt },
                { header: 'VERIFIED', value: (b) => b.verifiedAt ?? '' },
                { header: 'SIZE', value: (b) => formatBytes(b.storedSize), align: 'right' },
                {
                  header: 'TAGS',
                  value: (b) =>
                    Object.entries(b.tags)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' '),
                },
              ],
              c,
            ),
    };
  },
};
