import type { CloneEvent, CloneResult } from '@supaops/selfhost';
import type { CommandContext } from '../../context.js';
import type { Colors } from '../../output/colors.js';
import { stepView } from '../deploy/view.js';

/**
 * cloneInstance's events on stderr: each phase as a line (✓ when done), the wizard's steps as
 * `deploy` shows them, warnings with their code, data-copy progress with --verbose.
 */
export function cloneView(ctx: CommandContext, timeoutMs: number) {
  const c = ctx.errColors;
  const steps = stepView(ctx, timeoutMs);
  return {
    onEvent(event: CloneEvent): void {
      switch (event.type) {
        case 'phase':
          if (event.status === 'start') ctx.info(`${c.dim('clone')} ${event.phase}`);
          else ctx.info(`  ${c.green('✓')} ${event.phase}`);
          return;
        case 'wizard':
          steps.onEvent(event.event);
          return;
        case 'warning':
          ctx.warn(`${event.code}: ${event.message}`);
          return;
        case 'progress':
          ctx.debug(`  ${event.phase}: ${event.message}`);
          return;
      }
    },
    stop: steps.stop,
  };
}

/** The data copy's proof, one line per table: `public.orders  500 → 500`. */
export function rowCountLines(c: Colors, data: NonNullable<CloneResult['data']>): string[] {
  const width = Math.max(0, ...data.rowCounts.map((r) => r.table.length));
  return [
    `data: ${data.tables} tables, ${data.rows} rows copied (${data.strategy}), row counts equal`,
    ...data.rowCounts.map(
      (r) => `  ${r.table.padEnd(width)}  ${r.source} → ${r.clone} ${c.green('✓')}`,
    ),
  ];
}
