import { formatBytes } from './table.js';

export interface ProgressUpdate {
  value: number;
  total?: number | undefined;
  /** What is being worked on (a backup part, a migration file). */
  label?: string | undefined;
}

export interface Progress {
  update(update: ProgressUpdate): void;
  stop(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream;
  /** Draw a bar: stderr is a terminal and neither --quiet nor --json asked for silence. */
  bar: boolean;
  /** Without a bar, write a throttled line per second (--verbose). */
  lines: boolean;
  unit: 'bytes' | 'items';
  title: string;
  /** Milliseconds between progress lines. */
  lineIntervalMs?: number;
}

const NOOP: Progress = { update() {}, stop() {} };

function show(value: number, unit: ProgressOptions['unit']): string {
  return unit === 'bytes' ? formatBytes(value) : String(value);
}

/**
 * Progress of long work on stderr: a cli-progress bar on a terminal, throttled text lines with
 * --verbose elsewhere, nothing otherwise. stdout stays clean for the command's output.
 */
export async function startProgress(options: ProgressOptions): Promise<Progress> {
  if (options.bar) return startBar(options);
  if (options.lines) return startLines(options);
  return NOOP;
}

async function startBar(options: ProgressOptions): Promise<Progress> {
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream,
      format: `${options.title} {label} [{bar}] {percentage}% {shown} ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update({ value, total, label }) {
      const max = Math.max(total ?? value, value, 1);
      const payload = { label: label ?? '', shown: `${show(value, options.unit)}` };
      if (!started) {
        bar.start(max, value, payload);
        started = true;
        return;
      }
      bar.setTotal(max);
      bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function startLines(options: ProgressOptions): Progress {
  const interval = options.lineIntervalMs ?? 1000;
  let last = 0;
  let lastLabel: string | undefined;
  return {
    update({ value, total, label }) {
      const now = Date.now();
      if (now - last < interval && label === lastLabel) return;
      last = now;
      lastLabel = label;
      const of = total ? ` of ${show(total, options.unit)}` : '';
      options.stream.write(
        `${options.title}${label ? ` ${label}` : ''}: ${show(value, options.unit)}${of}\n`,
      );
    },
    stop() {},
  };
}
