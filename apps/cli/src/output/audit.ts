import type { AuditOutcome, CommandContext } from '../context.js';

export interface AuditRecord {
  action: string;
  args: Record<string, unknown>;
  outcome: AuditOutcome;
  error?: { code?: string; message: string };
  durationMs: number;
}

/**
 * Appends a write/destructive command to @supaops/config's audit log (source 'cli'); the log
 * redacts the arguments itself, and is also handed every secret this run resolved. A log that
 * cannot be written is reported, but does not turn a finished operation into a failure.
 */
export async function appendAudit(ctx: CommandContext, record: AuditRecord): Promise<void> {
  try {
    const [{ openAuditLog }, loaded] = await Promise.all([import('@supaops/config'), ctx.config()]);
    await openAuditLog(loaded).append(
      {
        source: 'cli',
        ...(ctx.audit.instance ? { instance: ctx.audit.instance } : {}),
        ...record,
      },
      { secrets: [...ctx.redactor.secrets] },
    );
  } catch (error) {
    ctx.warn(`the audit log was not written: ${(error as Error).message}`);
  }
}
