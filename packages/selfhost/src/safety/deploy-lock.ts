import { z } from 'zod';
import { parseInput } from '../errors.js';
import { acquireFileLock, type FileLockOptions } from './deploy-lock-file.js';

/*
 * Dokploy runs one deployment per server at a time and queues the rest; two deploys started
 * from here would wait on each other's deployment rows and misread them. So deploys to the same
 * server (Dokploy URL + serverId) run one after the other: within a process through a queue,
 * and across processes (the CLI and the MCP server at once, two terminals) through a lock file.
 */
const tails = new Map<string, Promise<void>>();

/** The cross-process part; without `lockDir` only the in-process queue applies. */
export interface DeployLockOptions extends Omit<FileLockOptions, 'lockDir'> {
  /** Where the lock file lives; the workflows pass the history store's directory. */
  lockDir?: string;
}

const optionsSchema = z
  .object({
    lockDir: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(0).optional(),
    staleMs: z.number().int().min(10).optional(),
    pollMs: z.number().int().min(1).optional(),
    purpose: z.string().max(200).optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
    onWait: z.custom<FileLockOptions['onWait']>((v) => typeof v === 'function').optional(),
  })
  .strict();

const argsSchema = z.object({
  key: z.string().min(1),
  fn: z.custom<() => Promise<unknown>>((v) => typeof v === 'function', 'a function'),
  options: optionsSchema,
});

/**
 * Runs `fn` once no other deploy to the same Dokploy server runs: in this process (a queue) and,
 * with `lockDir`, in any process sharing that directory (an O_EXCL lock file holding pid, host and
 * time; a dead or silent holder is taken over; the wait is bounded by `timeoutMs` and ends in
 * DeployLockTimeoutError naming the holder).
 */
export async function withDeployLock<T>(
  key: string,
  fn: () => Promise<T>,
  options: DeployLockOptions = {},
): Promise<T> {
  const { options: o } = parseInput('withDeployLock', argsSchema, { key, fn, options });
  const previous = tails.get(key) ?? Promise.resolve();
  let release: () => void = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    if (!o.lockDir) return await fn();
    const { lockDir, ...rest } = o;
    const unlock = await acquireFileLock(key, { lockDir, ...rest });
    try {
      return await fn();
    } finally {
      await unlock();
    }
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** The lock key of a compose: its Dokploy instance and server. */
export function deployLockKey(apiRoot: string, serverId: string | null | undefined): string {
  return `${apiRoot}#${serverId ?? 'local'}`;
}

/**
 * The lock options of a workflow's deploy: the lock file in the history store's directory (both
 * faces share it per Dokploy server, see historyDir), the workflow named as the holder.
 */
export function historyLockOptions(
  history: { readonly dir: string },
  purpose: string,
  signal?: AbortSignal,
  onWait?: FileLockOptions['onWait'],
): DeployLockOptions {
  return {
    lockDir: history.dir,
    purpose,
    ...(signal ? { signal } : {}),
    ...(onWait ? { onWait } : {}),
  };
}
