import type { RunInterrupted } from './abort.js';
import { type AbortDetails, MigrationAbortedError } from './errors.js';
import type { FileReport } from './events.js';

const COMMITTED: ReadonlySet<FileReport['status']> = new Set([
  'applied',
  'reverted',
  'written',
  'marked-applied',
  'marked-reverted',
]);

const PAST: Record<AbortDetails['operation'], string> = {
  up: 'applied',
  down: 'reverted',
  fetch: 'written',
  repair: 'marked',
  status: 'read',
  verify: 'read',
};

function list(files: string[]): string {
  const shown = files.slice(0, 5).join(', ');
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}

function message(d: AbortDetails): string {
  const op = d.operation;
  if (op === 'status' || op === 'verify') {
    return `${op}() was aborted (${d.reason}); it only reads, so nothing was changed. Fix: run ${op} again.`;
  }
  const head = `The ${op} ${d.dryRun ? 'dry run' : 'run'} was aborted (${d.reason})`;
  if (d.phase === 'before-start') {
    return `${head} before it started: nothing ran and the database was not touched. Fix: run ${op} again with a signal that has not fired.`;
  }
  if (d.phase === 'lock') {
    return `${head} while taking the migration lock: nothing ran and the lock is not held. Fix: run ${op} again.`;
  }
  if (d.dryRun) {
    return `${head}${d.rolledBack ? ` at ${d.rolledBack}` : ''}: its transaction was rolled back, as every dry run's is, so nothing changed. The migration lock was released. Fix: run it again.`;
  }
  if (op === 'repair') {
    return `${head}: its transaction was rolled back, so no history row changed. The migration lock was released. Fix: run repair again.`;
  }
  const parts = [head];
  const stopped = d.statementCancelled
    ? ' Its running statement was cancelled on the server.'
    : d.connectionClosed
      ? ' Its running statement did not stop after the cancel request, so its connection was closed; the server rolls the transaction back when it notices.'
      : '';
  if (d.rolledBack) {
    parts.push(
      op === 'down'
        ? `: ${d.rolledBack} was rolled back; its transaction never committed, so its version stays applied.${stopped}`
        : `: ${d.rolledBack} was rolled back; its transaction never committed, so none of it is applied.${stopped}`,
    );
  } else if (d.partiallyApplied) {
    const p = d.partiallyApplied;
    parts.push(
      `: ${p.file} is marked no-transaction and was stopped at statement ${p.statementIndex + 1} of ${p.statementCount}: ` +
        `statements 1..${p.statementIndex} stayed applied, statement ${p.statementIndex + 1} did not complete, ` +
        `and the version is NOT recorded as ${PAST[op]}.${stopped}`,
    );
  } else {
    parts.push(op === 'fetch' ? ' between files.' : ' between files: no file was open.');
  }
  parts.push(
    d.completed.length > 0
      ? ` ${PAST[op][0]?.toUpperCase()}${PAST[op].slice(1)} by this run and kept (each file commits on its own): ${list(d.completed)}.`
      : ` No file was ${PAST[op]} by this run.`,
  );
  if (d.notStarted.length > 0) parts.push(` Not started: ${list(d.notStarted)}.`);
  parts.push(' The migration lock was released.');
  const next = d.rolledBack ?? d.partiallyApplied?.file ?? d.notStarted[0];
  if (op === 'fetch') {
    parts.push(' Fix: run fetch again; files already written are compared, not rewritten.');
  } else {
    parts.push(
      ` Fix: run ${op} again${op === 'down' ? ' with the same target' : ''} to continue${next ? ` with ${next}` : ''}; files already ${PAST[op]} are not run again.`,
    );
  }
  if (d.partiallyApplied) {
    parts.push(
      ' Make the no-transaction file safe to re-run first (IF NOT EXISTS; drop an INVALID index a cancelled CREATE INDEX CONCURRENTLY left).',
    );
  }
  return parts.join('');
}

/** The MigrationAbortedError of a run, from what it had done (`files`) and where it stopped. */
export function abortedError(
  operation: AbortDetails['operation'],
  dryRun: boolean,
  files: FileReport[],
  interrupted: RunInterrupted,
  reason: string,
): MigrationAbortedError {
  const details: AbortDetails = {
    operation,
    phase: interrupted.phase,
    reason,
    dryRun,
    completed: dryRun ? [] : files.filter((f) => COMMITTED.has(f.status)).map((f) => f.file),
    notStarted: interrupted.notStarted,
    statementCancelled: interrupted.statementCancelled,
    connectionClosed: interrupted.connectionClosed,
  };
  if (interrupted.file !== undefined) {
    if (interrupted.partial) {
      details.partiallyApplied = {
        file: interrupted.file,
        statementIndex: interrupted.statementIndex ?? 0,
        statementCount: interrupted.statementCount ?? 0,
      };
    } else details.rolledBack = interrupted.file;
  }
  return new MigrationAbortedError(
    message(details),
    details,
    interrupted.cause === undefined ? undefined : { cause: interrupted.cause },
  );
}
