import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { safeJson } from '../../safety/untrusted.js';
import { databaseUrl } from '../backups/storage.js';
import { instanceArg, WRITE } from '../common.js';
import { phaseProgress } from './phase-progress.js';
import {
  cancelled,
  refuseDivergence,
  schemaOutput,
  schemaPlan,
  schemaResult,
  syncBackupOf,
  syncProgress,
} from './schema-sync.js';

const input = z.object({ instance: instanceArg, from: z.string().min(1).max(100) });
type Args = z.output<typeof input>;

/**
 * The sync's inputs: `from`'s migrations directory and database, the instance's database and
 * backup storage (resolved before the token, so a missing one fails the dry run with its fix).
 */
async function prepare(args: Args, ctx: ToolContext) {
  const source = await ctx.instance(args.from, ['database']);
  const target = await ctx.instance(args.instance, ['database', 'backups']);
  const [sh, { backup, where }] = await Promise.all([selfhost(), syncBackupOf(target)]);
  const base = {
    source: databaseUrl(source),
    target: databaseUrl(target),
    migrationsDir: source.migrationsDir,
    signal: ctx.signal,
  };
  return { sh, source, target, backup, where, base };
}

export default defineTool({
  name: 'dokploy_sync_schema',
  title: 'Sync schema',
  description:
    'Applies the migrations `from` has and the instance lacks: backup first, divergence refused, histories checked. Never data.',
  group: 'selfhost',
  annotations: WRITE,
  write: true,
  input,
  output: schemaOutput.extend({ from: z.string(), instance: z.string() }),
  confirmWhen: 'always (the dry run is the plan)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { sh, source, target, where, base } = await prepare(args, ctx);
    const plan = await sh.syncSchema({ ...base, dryRun: true });
    await refuseDivergence(plan);
    const n = plan.applied.length;
    return {
      summary: n
        ? `Would back up ${target.name} (${where}), then apply ${n} migration(s) from ${source.name} (${source.migrationsDir}) and check that both histories match.`
        : `Nothing to apply: ${target.name} has every migration ${source.name} applied.`,
      details: schemaPlan(plan, where),
    };
  },
  async handler(args, ctx) {
    const { sh, source, target, backup, base } = await prepare(args, ctx);
    const progress = phaseProgress(ctx, 9);
    const result = await sh
      .syncSchema({ ...base, backup, onEvent: syncProgress(progress) })
      .catch((error: unknown) => cancelled(error, 'the schema sync', ctx));
    progress.done();
    const structured = { from: source.name, instance: target.name, ...schemaResult(result) };
    return {
      structured,
      text: `${target.name}: ${structured.applied.length} migration(s) applied from ${source.name}${result.backup ? ` after backup ${result.backup.id}` : ''}; histories ${result.histories.match ? 'match' : 'DIFFER'}.\n${safeJson(structured)}`,
    };
  },
});
