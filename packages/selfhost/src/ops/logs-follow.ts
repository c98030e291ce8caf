import {
  type DokployClient,
  type DokployLogStream,
  streamContainerLogs,
} from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import { readContainerHealth } from '../validate/containers.js';
import { callOf } from './common.js';
import { dokploySearch, logSelectionShape, sinceOf } from './log-filters.js';
import { secretRedactor } from './log-redaction.js';
import { type LogLine, mergeLogLines, parseLogLines } from './logs.js';

export interface FollowLogsInput {
  client: DokployClient;
  composeId: string;
  /** Default every service of the compose. */
  services?: string[];
  /** Lines of history per service before the live ones (default 20, at most 10 000). */
  tail?: number;
  /** Only lines newer than this: a duration (`30s`, `10m`, `2h`, `1d`) or a time. */
  since?: string | Date;
  /** Case-insensitive text each line must contain. */
  search?: string;
  /** Called for every line, history first (merged by time), then live lines as they arrive. */
  onLine: (line: LogLine) => void;
  /** Ends the follow after this long. Give it, `signal`, or both: Dokploy never ends a stream. */
  durationMs?: number;
  signal?: AbortSignal;
  /** How long the history burst is gathered and merged across services (default 500 ms). */
  historyMs?: number;
  /** Per stream (default 10 000 ms). */
  connectTimeoutMs?: number;
}

/** One service's stream: how many lines it gave, and why it failed if it did. */
export interface FollowSource {
  readonly service: string;
  readonly containerId?: string;
  readonly lines: number;
  /** Why the stream could not open or ended early (redacted). */
  readonly failed?: string;
  readonly closeCode?: number;
}

export interface FollowLogsResult {
  readonly composeId: string;
  readonly sources: FollowSource[];
  /** Lines given to onLine. */
  readonly lines: number;
  /** `signal`, `duration`, or `streams-closed` (every stream ended or failed first). */
  readonly endedBy: 'signal' | 'duration' | 'streams-closed';
}

const schema = z
  .object({
    ...logSelectionShape,
    onLine: z.custom<(line: LogLine) => void>((v) => typeof v === 'function', 'a function'),
    durationMs: z
      .number()
      .int()
      .min(1)
      .max(24 * 3_600_000)
      .optional(),
    historyMs: z.number().int().min(0).max(60_000).optional(),
    connectTimeoutMs: z.number().int().min(1).max(120_000).optional(),
  })
  .strict()
  .refine((v) => v.durationMs !== undefined || v.signal !== undefined, {
    message: 'give durationMs or signal: a log follow never ends by itself',
    path: ['durationMs'],
  });

interface Stream {
  service: string;
  containerId?: string;
  lines: LogLine[];
  count: number;
  handle?: DokployLogStream;
  failed?: string;
  closeCode?: number;
}

/**
 * Follows the logs of a compose's services live over Dokploy's `/docker-container-logs`
 * WebSocket (`streamContainerLogs`, every version; needs the optional `ws` package): `tail`
 * lines of history per service first, merged across services by timestamp, then every line as
 * it arrives, each filtered by `since` and `search` and with every secret of the compose's env
 * masked (`secretRedactor`). Ends on `signal` or after `durationMs`; a stream that cannot open
 * or ends early is reported in its source, the others go on. An `onLine` that throws ends the
 * follow with its error.
 */
export async function followComposeLogs(input: FollowLogsInput): Promise<FollowLogsResult> {
  const o = parseInput('followComposeLogs', schema, input);
  const { client, composeId } = o;
  const compose = await client.compose.one({ composeId }, callOf(o.signal));
  const redact = secretRedactor(toEnvRecord(parseEnv(compose.env ?? '', { interpolate: false })));
  const containers = await readContainerHealth(client, compose.appName, o.signal);
  const wanted = o.services ?? [...new Set(containers.map((c) => c.service))];
  const { cutoff, param: since } = sinceOf(o.since, Date.now());
  const search = o.search?.toLowerCase();
  const stop = new AbortController();
  let endedBy: FollowLogsResult['endedBy'] = 'streams-closed';
  let callbackError: { error: unknown } | undefined;
  let buffering = true;
  let delivered = 0;
  const end = (why: FollowLogsResult['endedBy']) => {
    if (stop.signal.aborted) return;
    endedBy = why;
    stop.abort();
  };
  const deliver = (line: LogLine) => {
    if (callbackError) return;
    try {
      o.onLine(line);
      delivered += 1;
    } catch (error) {
      callbackError = { error };
      end('signal');
    }
  };
  const onAbort = () => end('signal');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const timer =
    o.durationMs !== undefined ? setTimeout(() => end('duration'), o.durationMs) : undefined;
  const streams: Stream[] = wanted.map((service) => {
    const c = containers.find((x) => x.service === service);
    return c
      ? { service, containerId: c.containerId, lines: [], count: 0 }
      : { service, lines: [], count: 0, failed: 'no container of this service exists' };
  });
  await Promise.all(
    streams.map(async (s) => {
      if (!s.containerId || stop.signal.aborted) return;
      const onLine = (raw: string) => {
        const [parsed] = parseLogLines(s.service, raw);
        if (!parsed || stop.signal.aborted) return;
        if (cutoff !== undefined && parsed.timestamp && Date.parse(parsed.timestamp) < cutoff)
          return;
        if (search && !parsed.text.toLowerCase().includes(search)) return;
        const line = { ...parsed, text: redact(parsed.text) };
        s.count += 1;
        if (buffering) s.lines.push(line);
        else deliver(line);
      };
      try {
        s.handle = await streamContainerLogs(client, {
          containerId: s.containerId,
          tail: o.tail ?? 20,
          ...(since ? { since } : {}),
          ...dokploySearch(o.search),
          ...(compose.serverId ? { serverId: compose.serverId } : {}),
          onLine,
          signal: stop.signal,
          ...(o.connectTimeoutMs ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
        });
      } catch (error) {
        s.failed = redact((error as Error).message ?? String(error));
      }
    }),
  );
  const open = streams.filter((s) => s.handle);
  const allClosed = Promise.all(
    open.map(async (s) => {
      const closed = await (s.handle as DokployLogStream).closed;
      if (closed.error) s.failed = redact(closed.error.message);
      else if (!stop.signal.aborted)
        s.failed = `the stream closed before the end (code ${closed.code}${closed.reason ? `, ${redact(closed.reason)}` : ''}): Dokploy restarted or the connection dropped`;
      if (s.failed) s.closeCode = closed.code;
    }),
  ).then(() => end('streams-closed'));
  const stopped = new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    else stop.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // the history burst: gathered for historyMs (or until the end), then merged by time
  await Promise.race([new Promise((r) => setTimeout(r, o.historyMs ?? 500)), stopped]);
  buffering = false;
  for (const line of mergeLogLines(streams.map((s) => s.lines))) deliver(line);
  for (const s of streams) s.lines = [];
  await stopped;
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  for (const s of open) s.handle?.close();
  await Promise.race([allClosed, new Promise((r) => setTimeout(r, 5000).unref())]);
  if (callbackError) throw callbackError.error;
  return {
    composeId,
    sources: streams.map((s) => ({
      service: s.service,
      ...(s.containerId ? { containerId: s.containerId } : {}),
      lines: s.count,
      ...(s.failed ? { failed: s.failed } : {}),
      ...(s.closeCode !== undefined ? { closeCode: s.closeCode } : {}),
    })),
    lines: delivered,
    endedBy,
  };
}
