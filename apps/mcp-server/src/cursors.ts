import { randomBytes } from 'node:crypto';
import { CursorNotFoundError } from './errors.js';

/** A result that can be read page by page and must be disposed (pg-connect's SqlResult). */
export interface PagedSource {
  page(request: { offset: number; limit: number }): Promise<unknown[]>;
  dispose(): Promise<void>;
}

export interface CursorEntry<Meta = unknown> {
  id: string;
  source: PagedSource;
  /** Row offset of the next page. */
  offset: number;
  /** Rows in the whole result. */
  total: number;
  meta: Meta;
  expiresAt: number;
}

export interface CursorStoreOptions {
  /** Open cursors per session; the oldest is disposed beyond this (default 20). */
  maxCursors?: number;
  /** Idle lifetime of a cursor (default 10 minutes). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Spilled results held for fetch_result_page, bounded by count and idle time so a session cannot
 * pile up temp files: an evicted or expired cursor's spill is deleted.
 */
export class CursorStore<Meta = unknown> {
  readonly #entries = new Map<string, CursorEntry<Meta>>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(options: CursorStoreOptions = {}) {
    this.#max = options.maxCursors ?? 20;
    this.#ttl = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async open(source: PagedSource, offset: number, total: number, meta: Meta): Promise<string> {
    await this.#sweep();
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      await this.#drop(oldest);
    }
    const id = `c_${randomBytes(9).toString('base64url')}`;
    this.#entries.set(id, { id, source, offset, total, meta, expiresAt: this.#now() + this.#ttl });
    return id;
  }

  /** The cursor, with its lifetime renewed. Throws CursorNotFoundError when unknown or expired. */
  async get(id: string): Promise<CursorEntry<Meta>> {
    await this.#sweep();
    const entry = this.#entries.get(id);
    if (!entry) throw new CursorNotFoundError();
    entry.expiresAt = this.#now() + this.#ttl;
    // keep insertion order = least recently used first
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry;
  }

  /** Moves the cursor on; at the end of the result it is closed and false is returned. */
  async advance(id: string, offset: number): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    entry.offset = offset;
    if (offset >= entry.total) {
      await this.#drop(id);
      return false;
    }
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((id) => this.#drop(id)));
  }

  async #sweep(): Promise<void> {
    const now = this.#now();
    for (const [id, entry] of [...this.#entries]) {
      if (entry.expiresAt <= now) await this.#drop(id);
    }
  }

  async #drop(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    this.#entries.delete(id);
    await entry?.source.dispose().catch(() => {});
  }
}
