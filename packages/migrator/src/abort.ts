import { sendCancelRequest } from '@supaops/pg-connect';
import type pg from 'pg';
import { redactConnectionString } from './connection.js';
import type { AbortDetails } from './errors.js';

/**
 * Internal: the run's signal fired. Thrown where the abort is noticed, completed on its way up
 * (file, statement, files not started) and turned into a MigrationAbortedError by the run.
 */
export class RunInterrupted extends Error {
  phase: AbortDetails['phase'];
  file: string | undefined;
  statementIndex: number | undefined;
  statementCount: number | undefined;
  /** A no-transaction file with statements before `statementIndex` applied. */
  partial = false;
  notStarted: string[] = [];
  statementCancelled: boolean;
  connectionClosed: boolean;

  constructor(
    phase: AbortDetails['phase'],
    info: { statementCancelled?: boolean; connectionClosed?: boolean; cause?: unknown } = {},
  ) {
    super('aborted', info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'RunInterrupted';
    this.phase = phase;
    this.file = undefined;
    this.statementIndex = undefined;
    this.statementCount = undefined;
    this.statementCancelled = info.statementCancelled ?? false;
    this.connectionClosed = info.connectionClosed ?? false;
  }
}

/** Something that runs SQL text, as the history helpers need it. */
export interface SqlRunner {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** The signal of one call and how it stops statements on the server. */
export interface RunAbort {
  readonly signal: AbortSignal | undefined;
  readonly aborted: boolean;
  /** The signal's reason as short text (secrets in connection strings masked). */
  reason(): string;
  /** Throws a RunInterrupted for `phase` when the signal has fired. */
  check(phase: AbortDetails['phase']): void;
  /**
   * `client.query`, except that an abort while it runs sends a CancelRequest for the backend
   * and, when the server has not stopped the statement within the grace period, closes the
   * connection. Settles only once the cancel request is done, so a late cancel can never hit
   * the next statement (ROLLBACK) on this connection. Rejects with RunInterrupted when the
   * signal fired and the query failed.
   */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    client: pg.Client,
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** `client` as a SqlRunner whose every query is cancelled by an abort. */
  bind(client: pg.Client): SqlRunner;
}

interface BackendKey {
  host: string;
  port: number;
  ssl: pg.ClientConfig['ssl'];
  processID: number;
  secretKey: number;
  connection?: { stream?: { destroy(): void } };
}

export function describeAbortReason(reason: unknown): string {
  let text: string;
  if (reason instanceof Error) {
    text = reason.name === 'AbortError' ? 'the signal was aborted' : reason.message || reason.name;
  } else if (reason === undefined) text = 'the signal was aborted';
  else text = String(reason);
  text = redactConnectionString(text).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export function createRunAbort(signal: AbortSignal | undefined, graceMs: number): RunAbort {
  const abort: RunAbort = {
    signal,
    get aborted() {
      return signal?.aborted === true;
    },
    reason: () => describeAbortReason(signal?.reason),
    check(phase) {
      if (signal?.aborted) throw new RunInterrupted(phase, { cause: signal.reason });
    },
    async query<R extends pg.QueryResultRow>(
      client: pg.Client,
      text: string,
      values?: unknown[],
    ): Promise<pg.QueryResult<R>> {
      if (!signal) return client.query<R>(text, values);
      // the caller checks between statements; this keeps a fired signal from starting one
      if (signal.aborted) throw new RunInterrupted('files', { cause: signal.reason });
      let cancelling: Promise<void> | undefined;
      let grace: NodeJS.Timeout | undefined;
      let closed = false;
      const onAbort = () => {
        const key = client as unknown as BackendKey;
        cancelling = sendCancelRequest(
          { host: key.host, port: key.port, ssl: key.ssl },
          key.processID,
          key.secretKey,
          graceMs,
        );
        grace = setTimeout(() => {
          // the server did not stop the statement (or the cancel never reached it)
          closed = true;
          key.connection?.stream?.destroy();
        }, graceMs);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        return await client.query<R>(text, values);
      } catch (error) {
        if (!signal.aborted) throw error;
        throw new RunInterrupted('files', {
          statementCancelled: !closed && (error as { code?: string }).code === '57014',
          connectionClosed: closed,
          cause: error,
        });
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (grace) clearTimeout(grace);
        if (cancelling) await cancelling;
      }
    },
    bind(client) {
      return { query: (text, values) => abort.query(client, text, values) };
    },
  };
  return abort;
}
