import { open } from 'node:fs/promises';
import { z } from 'zod';
import {
  SandboxLogError,
  SandboxNotInitialisedError,
  SandboxValidationError,
  validate,
} from './errors.js';
import { readLinesBackwards } from './log-backwards.js';
import { parseLogLine, parseSince } from './log-line.js';
import { redactLogText } from './log-redact.js';
import { type SandboxOptions, sandboxOptionsSchema } from './sandbox-types.js';
import { layoutOf, sandboxContext } from './start-sandbox.js';
import { readState } from './state-file.js';

export const LOG_TAIL_DEFAULT = 100;
export const LOG_TAIL_MAX = 10_000;
export const LOG_MAX_BYTES_DEFAULT = 64 * 1024 * 1024;

export interface ReadSandboxLogOptions extends SandboxOptions {
  /** The last this many lines (after `since` and `search`). Default 100, at most 10000. */
  tail?: number;
  /** Only lines from this time on: a duration back from now (`30s`, `10m`, `2h`, `1d`), a Date or an ISO time. */
  since?: string | Date;
  /** Only lines containing this text, case-insensitive. */
  search?: string;
  /** Bound on the bytes read from the end of the log. Default 64 MiB. */
  maxBytes?: number;
}

export interface SandboxLogLine {
  /** ISO 8601, UTC; absent for a continuation line or a time in an unknown zone. */
  timestamp?: string;
  /** The line without its timestamp, passwords as `***`. */
  text: string;
}

export interface SandboxLog {
  path: string;
  /** Oldest first. */
  lines: SandboxLogLine[];
  /**
   * True when older lines that might match were not read: `tail` lines were found first, or
   * `maxBytes` was reached. False when every line (since `since`) was looked at.
   */
  truncated: boolean;
}

const logOptionsSchema = sandboxOptionsSchema.extend({
  tail: z.number().int().min(1).max(LOG_TAIL_MAX).optional(),
  since: z.union([z.string().min(1).max(100), z.date()]).optional(),
  search: z.string().min(1).max(1000).optional(),
  maxBytes: z.number().int().min(1).optional(),
});

interface Filter {
  tail: number;
  since: number | undefined;
  search: string | undefined;
  secrets: string[];
}

/** Collects the newest `tail` lines passing the filters, fed from the end of the file. */
class TailCollector {
  readonly newestFirst: SandboxLogLine[] = [];
  // continuation lines (no time of their own) wait for the stamped line they belong to
  #pending: SandboxLogLine[] = [];
  constructor(readonly filter: Filter) {}

  get full(): boolean {
    return this.newestFirst.length >= this.filter.tail;
  }

  /** False once nothing older can be wanted. */
  add(raw: string): boolean {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return true;
    const parsed = parseLogLine(line);
    const out: SandboxLogLine = {
      ...(parsed.timestamp !== undefined ? { timestamp: parsed.timestamp } : {}),
      text: redactLogText(parsed.text, this.filter.secrets),
    };
    // the search sees what the caller would see: it cannot probe for a redacted value
    const matches = this.#matches(out);
    if (parsed.time === undefined && this.filter.since !== undefined) {
      if (matches && this.#pending.length < this.filter.tail - this.newestFirst.length) {
        this.#pending.push(out);
      }
      return true;
    }
    if (this.filter.since !== undefined && parsed.time !== undefined) {
      if (parsed.time < this.filter.since) {
        // the log is in time order: all that is left is older
        this.#pending = [];
        return false;
      }
      this.flush();
    }
    if (matches && !this.full) this.newestFirst.push(out);
    return !this.full;
  }

  /** Pending continuation lines whose time cannot be told are kept. */
  flush(): void {
    for (const line of this.#pending.splice(0)) if (!this.full) this.newestFirst.push(line);
  }

  #matches(line: SandboxLogLine): boolean {
    const { search } = this.filter;
    if (search === undefined) return true;
    return `${line.timestamp ?? ''} ${line.text}`.toLowerCase().includes(search);
  }
}

/**
 * The end of the sandbox server's log (`postgres.log` in its cluster dir), newest `tail` lines
 * after the `since` and `search` filters, oldest first. Reads backwards from the end in chunks,
 * so a large log costs what the returned lines cost (bounded by `maxBytes`). Password values
 * and the sandbox's own password are shown as `***`. A sandbox that was never initialised is a
 * SandboxNotInitialisedError; a log not written yet gives no lines.
 */
export async function readSandboxLog(options?: ReadSandboxLogOptions): Promise<SandboxLog> {
  const opts = validate(logOptionsSchema, options ?? {}, 'readSandboxLog options');
  const { tail, since, search, maxBytes, ...sandboxOptions } = opts;
  const sinceMs = since === undefined ? undefined : parseSince(since, Date.now());
  if (since !== undefined && sinceMs === undefined) {
    throw new SandboxValidationError('readSandboxLog options', [
      `since: ${JSON.stringify(String(since))} is neither a duration (30s, 10m, 2h, 1d) nor a time (e.g. 2026-12-01T13:45:00Z)`,
    ]);
  }
  const ctx = sandboxContext(sandboxOptions as SandboxOptions, 'readSandboxLog options');
  const state = readState(ctx.stateFile);
  if (!state?.initialised) {
    throw new SandboxNotInitialisedError(
      ctx.dataDir,
      `The sandbox in ${ctx.dataDir} was never initialised (or was reset), so it has no server log. Fix: start it first (startSandbox() or \`supaops sandbox start\`), or pass the dataDir of the sandbox you mean.`,
    );
  }
  const path = layoutOf(ctx, state).logFile;
  const collector = new TailCollector({
    tail: tail ?? LOG_TAIL_DEFAULT,
    since: sinceMs,
    search: search?.toLowerCase(),
    secrets: [state.password],
  });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { path, lines: [], truncated: false };
    throw unreadable(path, error);
  }
  try {
    const { size } = await handle.stat();
    let stopped = false;
    const scan = await readLinesBackwards(
      handle,
      size,
      { maxBytes: maxBytes ?? LOG_MAX_BYTES_DEFAULT },
      (line) => {
        stopped = !collector.add(line.toString('utf8'));
        return !stopped;
      },
    );
    if (!stopped) collector.flush();
    const truncated = collector.full || (!scan.reachedStart && !stopped);
    return { path, lines: collector.newestFirst.reverse(), truncated };
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    await handle.close();
  }
}

function unreadable(path: string, error: unknown): SandboxLogError {
  return new SandboxLogError(
    path,
    `Cannot read the sandbox server log ${path}: ${(error as Error).message}. Fix: check that this user may read it (it belongs to the server's OS user).`,
    { cause: error },
  );
}
