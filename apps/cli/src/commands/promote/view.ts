import type { Divergence, PromoteEvent, SyncEvent, SyncSchemaResult } from '@supaops/selfhost';
import type { CommandContext } from '../../context.js';
import type { Colors } from '../../output/colors.js';

/** The sync's events on stderr: phases, each migration file, its failure. */
export function syncEventView(ctx: CommandContext) {
  const c = ctx.errColors;
  return (event: SyncEvent): void => {
    if (event.type === 'phase') {
      if (event.status === 'start') ctx.info(`${c.dim('schema')} ${event.phase}`);
      return;
    }
    if (event.type === 'progress') {
      ctx.debug(`  ${event.phase}: ${event.message}`);
      return;
    }
    const e = event.event;
    if (e.type === 'file-end') ctx.info(`  ${c.green('✓')} ${e.file} (${e.durationMs} ms)`);
    else if (e.type === 'file-failed') ctx.info(`  ${c.red('✗')} ${e.file}`);
    else if (e.type === 'lock-wait') ctx.info(c.dim('  waiting for the migration lock'));
  };
}

/** promoteDeployment's events: its phases, the sync's, warnings with their code. */
export function promoteEventView(ctx: CommandContext) {
  const c = ctx.errColors;
  const sync = syncEventView(ctx);
  return (event: PromoteEvent): void => {
    if (event.type === 'sync') sync(event.event);
    else if (event.type === 'warning') ctx.warn(`${event.code}: ${event.message}`);
    else if (event.status === 'start' && event.phase !== 'schema')
      ctx.info(`${c.dim('promote')} ${event.phase}`);
  };
}

export function divergenceLines(c: Colors, divergence: readonly Divergence[]): string[] {
  return divergence.flatMap((d) => [
    `  ${c.red(d.kind)} ${d.version} ${d.name}: ${d.detail}`,
    `    ${c.cyan('fix:')} ${d.fix}`,
  ]);
}

/** The schema part of a promotion or sync, as lines. */
export function schemaLines(c: Colors, schema: SyncSchemaResult): string[] {
  const ref = (m: { version: string; name: string }) => `${m.version} ${m.name}`;
  const lines = [
    `  migrations   ${schema.applied.length} ${schema.dryRun ? 'to apply' : 'applied'}${schema.applied.length > 0 ? `: ${schema.applied.map(ref).join(', ')}` : ''}`,
    `  present      ${schema.alreadyPresent.length} already on the target`,
  ];
  for (const s of schema.skipped) lines.push(c.dim(`  not promoted ${ref(s)}: ${s.reason}`));
  if (schema.divergence.length > 0) {
    lines.push(c.red(`  divergence   ${schema.divergence.length}: nothing can be promoted`));
    lines.push(...divergenceLines(c, schema.divergence));
  }
  if (schema.backup) {
    lines.push(
      `  backup       ${schema.backup.id} at ${schema.backup.location}${schema.backup.verified ? ' (verified)' : ''}`,
    );
  }
  if (!schema.dryRun) lines.push(`  histories    ${schema.histories.match ? 'match' : 'differ'}`);
  return lines;
}

/** The schema part of the --json document (the histories as counts). */
export function schemaData(schema: SyncSchemaResult) {
  return {
    applied: schema.applied,
    alreadyPresent: schema.alreadyPresent,
    skipped: schema.skipped,
    divergence: schema.divergence,
    ...(schema.backup ? { backup: schema.backup } : {}),
    histories: {
      match: schema.histories.match,
      source: schema.histories.source.length,
      target: schema.histories.target.length,
    },
  };
}
