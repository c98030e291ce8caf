// The library side of the backup benchmark: createBackup with the options `supaops backup create`
// passes, in a process of its own (as the CLI runs in one).
import { createBackup, createLocalStorage } from '@supaops/backup-engine';

const [source, dir, keyFile] = process.argv.slice(2);
const result = await createBackup({
  source,
  storage: createLocalStorage(dir),
  encryption: { keyFile },
  tags: {},
});
process.stdout.write(`${result.id}\n`);
