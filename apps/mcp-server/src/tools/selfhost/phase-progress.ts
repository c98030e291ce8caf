import type { ToolContext } from '../../registry/types.js';

/**
 * Progress of a run made of phases (clone, sync, promote) as MCP wants it: one number that only
 * grows, below `total` until `done()`. Each milestone (a phase starting or ending, a wizard step)
 * moves it on by one; other messages keep it where it is and are throttled by ctx.progress.
 */
export interface PhaseProgress {
  milestone(message: string): void;
  note(message: string): void;
  done(message?: string): void;
}

export function phaseProgress(ctx: ToolContext, total: number): PhaseProgress {
  let at = 0;
  return {
    milestone(message) {
      at = Math.min(at + 1, total - 1);
      ctx.progress(at, total, message, true);
    },
    note(message) {
      ctx.progress(at, total, message);
    },
    done(message = 'done') {
      at = total;
      ctx.progress(total, total, message, true);
    },
  };
}

/** A sync event as a progress message: phases are milestones, the migrator's events notes. */
export function syncEventMessage(
  event:
    | { type: 'phase'; phase: string; status: string }
    | { type: 'migration'; event: { type: string; version?: string; file?: string } }
    | { type: 'progress'; phase: string; message: string },
): { milestone: boolean; message: string } {
  if (event.type === 'phase') return { milestone: true, message: `${event.phase} ${event.status}` };
  if (event.type === 'progress')
    return { milestone: false, message: `${event.phase}: ${event.message}` };
  const e = event.event;
  const file = e.file ?? e.version;
  return { milestone: false, message: `migration ${e.type}${file ? ` ${file}` : ''}` };
}
