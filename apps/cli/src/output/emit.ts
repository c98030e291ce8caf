import type { CommandResult } from '../command.js';
import type { CommandContext } from '../context.js';
import type { ClassifiedError } from '../errors.js';

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The command's output on stdout: its JSON document, or its human text. */
export function writeResult(ctx: CommandContext, result: CommandResult): void {
  const redact = (text: string) => (result.secretOutput ? text : ctx.redactor.redact(text));
  if (ctx.globals.json) {
    const text = result.jsonLines ? `${JSON.stringify(result.data)}\n` : jsonText(result.data);
    ctx.io.stdout.write(redact(text));
    return;
  }
  if (result.human === undefined) return;
  const text = typeof result.human === 'function' ? result.human(ctx.colors) : result.human;
  if (text !== '') ctx.io.stdout.write(redact(text.endsWith('\n') ? text : `${text}\n`));
}

/**
 * A failure: with --json the error object on stdout (scripts parse one document either way),
 * otherwise the message and its fix on stderr.
 */
export function writeError(ctx: CommandContext, error: ClassifiedError, raw: unknown): void {
  const { code, message, fix } = error;
  if (ctx.globals.json) {
    ctx.io.stdout.write(
      ctx.redactor.redact(jsonText({ error: { code, message, ...(fix ? { fix } : {}) } })),
    );
    return;
  }
  const c = ctx.errColors;
  const lines = [`${c.red(c.bold('error'))} ${c.dim(code)} ${message}`];
  if (fix) lines.push(`  ${c.cyan('fix:')} ${fix}`);
  if (ctx.globals.verbose && raw instanceof Error) {
    let cause: unknown = raw.cause;
    for (let depth = 0; cause instanceof Error && depth < 5; depth += 1) {
      lines.push(c.dim(`  caused by: ${cause.message}`));
      cause = cause.cause;
    }
    if (code === 'UNEXPECTED' && raw.stack) lines.push(c.dim(raw.stack));
  }
  ctx.io.stderr.write(`${ctx.redactor.redact(lines.join('\n'))}\n`);
}
