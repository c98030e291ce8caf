/*
 * Dokploy runs one deployment per server at a time and queues the rest; two deploys started
 * from here would wait on each other's deployment rows and misread them. So within a process,
 * deploys to the same server (Dokploy URL + serverId) run one after the other.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `fn` once no other deploy to the same Dokploy server runs in this process. */
export async function withDeployLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release: () => void = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** The lock key of a compose: its Dokploy instance and server. */
export function deployLockKey(apiRoot: string, serverId: string | null | undefined): string {
  return `${apiRoot}#${serverId ?? 'local'}`;
}
