import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuditLogError } from './errors.js';
import { parseWith } from './issues.js';
import { redactString, redactValue } from './redact.js';
import type { AuditEntry, AuditLog, AuditReadFilter, LoadedConfig } from './types.js';

export const AUDIT_FILE_NAME = 'audit.jsonl';

const entrySchema = z.strictObject({
  time: z.iso.datetime({ offset: true }).optional(),
  source: z.enum(['mcp', 'cli', 'api']),
  action: z.string().min(1),
  instance: z.string().optional(),
  args: z.record(z.string(), z.unknown()),
  outcome: z.enum(['ok', 'error', 'refused', 'dry-run']),
  error: z.strictObject({ code: z.string().optional(), message: z.string() }).optional(),
  durationMs: z.number().nonnegative().optional(),
});
const appendOptionsSchema = z.strictObject({ secrets: z.array(z.string()).optional() }).optional();
const filterSchema = z
  .strictObject({
    since: z.date().optional(),
    action: z.string().optional(),
    instance: z.string().optional(),
    limit: z.int().min(0).optional(),
  })
  .optional();

/** An audit log that is switched off (audit.enabled false or SUPAOPS_AUDIT_LOG=off). */
export interface AuditLogState {
  enabled: boolean;
}

/**
 * The append-only audit log: <paths.state>/audit.jsonl unless audit.path / SUPAOPS_AUDIT_LOG
 * says otherwise. One JSON object per line, written with O_APPEND in a single write so lines of
 * concurrent processes never interleave; the file is kept at mode 0600. When the log is
 * disabled, `append` does nothing and `read` still reads what is there.
 */
export function openAuditLog(loaded: LoadedConfig): AuditLog & AuditLogState {
  const file = path.resolve(
    loaded.config.audit?.path ?? path.join(loaded.paths.state, AUDIT_FILE_NAME),
  );
  const enabled = loaded.config.audit?.enabled !== false;
  return {
    path: file,
    enabled,
    async append(entry, options) {
      const valid = parseWith(entrySchema, entry, 'audit entry');
      const secrets =
        parseWith(appendOptionsSchema, options, 'audit append options')?.secrets ?? [];
      if (!enabled) return;
      const record: AuditEntry = {
        time: valid.time ?? new Date().toISOString(),
        source: valid.source,
        action: valid.action,
        ...(valid.instance !== undefined ? { instance: valid.instance } : {}),
        args: redactValue(valid.args, secrets) as Record<string, unknown>,
        outcome: valid.outcome,
        ...(valid.error
          ? {
              error: {
                ...(valid.error.code !== undefined ? { code: valid.error.code } : {}),
                message: redactString(valid.error.message, secrets),
              },
            }
          : {}),
        ...(valid.durationMs !== undefined ? { durationMs: valid.durationMs } : {}),
      };
      await appendLine(file, `${JSON.stringify(record)}\n`);
    },
    async read(filter) {
      const f = parseWith(filterSchema, filter, 'audit read filter');
      return readEntries(file, f);
    },
  };
}

async function appendLine(file: string, line: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(
      file,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
      0o600,
    );
    try {
      const stats = await handle.stat();
      // an existing file with a wider mode (created by hand, another umask) is narrowed
      if ((stats.mode & 0o777) !== 0o600) await handle.chmod(0o600);
      // No check of the last byte for a torn line here: another process's write may be half
      // visible to it. `read` recovers an entry glued to a torn line instead.
      const buffer = Buffer.from(line, 'utf8');
      // one write(2) with O_APPEND: the kernel places it at the end atomically
      let offset = 0;
      for (let i = 0; offset < buffer.length && i < 1000; i++) {
        const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
        offset += bytesWritten;
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new AuditLogError(
      file,
      `Cannot append to the audit log ${file}: ${(error as Error).message}. Fix: make its directory writable, or set audit.path / SUPAOPS_AUDIT_LOG to a writable file.`,
      { cause: error },
    );
  }
}

async function readEntries(
  file: string,
  filter: AuditReadFilter | undefined,
): Promise<AuditEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AuditLogError(
      file,
      `Cannot read the audit log ${file}: ${(error as Error).message}. Fix: make it readable by this user.`,
      { cause: error },
    );
  }
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (!entry) continue;
    if (filter?.since && !(Date.parse(entry.time) >= filter.since.getTime())) continue;
    if (filter?.action !== undefined && entry.action !== filter.action) continue;
    if (filter?.instance !== undefined && entry.instance !== filter.instance) continue;
    entries.push(entry);
  }
  if (filter?.limit !== undefined) return filter.limit === 0 ? [] : entries.slice(-filter.limit);
  return entries;
}

// Every line starts with this (JSON.stringify keeps key order; `time` is first). Inside a string
// value the quotes would be escaped, so a raw occurrence is the start of an object.
const ENTRY_START = '{"time":"';

/**
 * One entry, or undefined for a torn line (a crash mid-write). An entry appended after a torn
 * line shares its line; it is recovered from its start marker.
 */
function parseLine(line: string): AuditEntry | undefined {
  const whole = tryParse(line);
  if (whole) return whole;
  // bounded by the number of markers in the line
  for (let at = line.indexOf(ENTRY_START, 1); at > 0; at = line.indexOf(ENTRY_START, at + 1)) {
    const tail = tryParse(line.slice(at));
    if (tail) return tail;
  }
  return undefined;
}

function tryParse(text: string): AuditEntry | undefined {
  try {
    const value = JSON.parse(text) as AuditEntry;
    return typeof value === 'object' && value !== null && typeof value.time === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
