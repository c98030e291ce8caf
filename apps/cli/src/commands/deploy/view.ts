import type { WizardEvent } from '@supaops/selfhost';
import type { CommandContext } from '../../context.js';
import type { Progress } from '../../output/progress.js';

/**
 * The wizard's events as a step list on stderr (`[3/9] secrets`, ✓ / ✗ / done earlier) and,
 * during the deploy wait, a progress bar of the elapsed time against the timeout.
 */
export function stepView(ctx: CommandContext, timeoutMs: number) {
  const c = ctx.errColors;
  let bar: Promise<Progress> | undefined;
  const stopBar = async () => {
    const b = bar;
    bar = undefined;
    if (b) (await b).stop();
  };
  const total = Math.max(1, Math.round(timeoutMs / 1000));
  return {
    onEvent(event: WizardEvent): void {
      switch (event.type) {
        case 'step-start':
          ctx.info(
            `${c.dim(`[${event.index + 1}/${event.total}]`)} ${event.step}${event.resumed ? c.dim(' (resumed)') : ''}`,
          );
          return;
        case 'step-end':
          void stopBar();
          if (event.status === 'skipped') ctx.info(`  ${c.dim(`- ${event.step}: done earlier`)}`);
          else if (event.status === 'done') ctx.info(`  ${c.green('✓')} ${event.step}`);
          else ctx.info(`  ${c.red('✗')} ${event.step}: ${event.error?.code ?? 'failed'}`);
          return;
        case 'warning':
          ctx.warn(`${event.step}: ${event.message}`);
          return;
        case 'progress':
          if (event.step === 'deploy' && event.elapsedMs !== undefined) {
            bar ??= ctx.progress('deploy', 'items');
            const value = Math.round(event.elapsedMs / 1000);
            void bar.then((b) => b.update({ value, total, label: event.phase ?? '' }));
          }
          ctx.debug(`  ${event.step}: ${event.message}`);
          return;
      }
    },
    stop: stopBar,
  };
}
