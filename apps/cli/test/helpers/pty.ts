import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface PtySession {
  /** Everything the program wrote to the terminal so far. */
  output(): string;
  /** Waits (bounded) until the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  write(keys: string): void;
  /** Resolves with the exit code once the program ends. */
  exit: Promise<number | null>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripTerminal(text: string): string {
  return text.replace(ANSI, '').replace(/\r/g, '');
}

/**
 * Runs the built CLI on a pseudo-terminal through util-linux `script`, with keystrokes fed on
 * its stdin (no native pty module needed).
 */
export function runOnPty(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): PtySession {
  const quoted = [process.execPath, BIN, ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${quoted}`, '/dev/null'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return {
    output: () => out,
    write: (keys) => child.stdin.write(keys),
    exit,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stripTerminal(out))) {
            waiters.delete(check);
            clearTimeout(t);
            resolve();
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${pattern} on the terminal within ${timeoutMs} ms:\n${stripTerminal(out)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
