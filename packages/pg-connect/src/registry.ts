import { z } from 'zod';
import { PoolStateError, validate } from './errors.js';
import { parseConnectionTarget } from './parse.js';
import { createPool, type PoolOptions, type SupaopsPool } from './pool.js';
import type { ConnectionTarget } from './target.js';

const nameSchema = z.string().min(1).max(100);

/** Named pools (e.g. `app`, `admin`, `monitor`), created once and closed together. */
export class PoolRegistry implements AsyncDisposable {
  readonly #pools = new Map<string, SupaopsPool>();
  readonly #defaults: PoolOptions;

  constructor(defaults: PoolOptions = {}) {
    this.#defaults = defaults;
  }

  /** Creates and registers a pool; a name can be registered once until closed. */
  register(
    name: string,
    target: ConnectionTarget | string,
    options: PoolOptions = {},
  ): SupaopsPool {
    validate(nameSchema, name, 'pool name');
    if (this.#pools.has(name)) {
      throw new PoolStateError(
        'POOL_EXISTS',
        `A pool named "${name}" is already registered. Fix: use get("${name}"), getOrCreate(), or close it first.`,
      );
    }
    const t = typeof target === 'string' ? parseConnectionTarget(target) : target;
    const pool = createPool(t, { ...this.#defaults, ...options, name });
    this.#pools.set(name, pool);
    return pool;
  }

  /** The pool registered under `name`. */
  get(name: string): SupaopsPool {
    const pool = this.#pools.get(name);
    if (!pool) {
      const known = [...this.#pools.keys()];
      throw new PoolStateError(
        'POOL_NOT_FOUND',
        `No pool named "${name}" is registered${known.length ? ` (known: ${known.join(', ')})` : ''}. Fix: register(name, target) first.`,
      );
    }
    return pool;
  }

  /** The pool under `name`, created on first use. */
  getOrCreate(
    name: string,
    target: ConnectionTarget | string,
    options: PoolOptions = {},
  ): SupaopsPool {
    return this.#pools.get(name) ?? this.register(name, target, options);
  }

  has(name: string): boolean {
    return this.#pools.has(name);
  }

  names(): string[] {
    return [...this.#pools.keys()];
  }

  /** Closes one pool and forgets its name. */
  async close(name: string): Promise<void> {
    const pool = this.get(name);
    this.#pools.delete(name);
    await pool.end();
  }

  /** Closes every pool (waits for checked-out clients); the registry can be reused afterwards. */
  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.end()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.closeAll();
  }
}
