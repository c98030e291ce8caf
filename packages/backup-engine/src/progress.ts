export type ProgressPhase = 'dump' | 'verify' | 'restore';

/** A progress report for CLI bars and MCP progress notifications. */
export interface ProgressEvent {
  phase: ProgressPhase;
  /** The part being processed (`database`, `roles`, `supabase-data`). */
  part: string;
  /** Bytes processed so far in this part (raw dump bytes for backups). */
  bytes: number;
  /** Expected total, when known (an estimate for backups: the database size). */
  totalBytes: number | undefined;
  /** Bytes per second since the part started. */
  rate: number;
  /** Seconds remaining at the current rate, when a total is known. */
  etaSeconds: number | undefined;
  elapsedMs: number;
  done: boolean;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** Emits throttled progress events (at most every `intervalMs`, plus a final one). */
export class ProgressTracker {
  private readonly started = Date.now();
  private last = 0;
  bytes = 0;

  constructor(
    private readonly phase: ProgressPhase,
    private readonly part: string,
    private readonly totalBytes: number | undefined,
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 200,
  ) {}

  add(count: number): void {
    this.bytes += count;
    if (!this.listener) return;
    const now = Date.now();
    if (now - this.last >= this.intervalMs) {
      this.last = now;
      this.emit(false);
    }
  }

  finish(): void {
    this.emit(true);
  }

  private emit(done: boolean): void {
    if (!this.listener) return;
    const elapsedMs = Math.max(1, Date.now() - this.started);
    const rate = (this.bytes / elapsedMs) * 1000;
    const total = this.totalBytes;
    const etaSeconds = done
      ? 0
      : total !== undefined && rate > 0
        ? Math.max(0, (total - this.bytes) / rate)
        : undefined;
    try {
      this.listener({
        phase: this.phase,
        part: this.part,
        bytes: this.bytes,
        totalBytes: total,
        rate,
        etaSeconds,
        elapsedMs,
        done,
      });
    } catch {
      // a listener's failure must not break the backup
    }
  }
}
