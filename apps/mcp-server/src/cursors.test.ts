import { describe, expect, it } from 'vitest';
import { CursorStore, type PagedSource } from './cursors.js';
import { CursorNotFoundError } from './errors.js';

function source(rows: number): PagedSource & { disposed: boolean } {
  const s = {
    disposed: false,
    async page({ offset, limit }: { offset: number; limit: number }) {
      return Array.from(
        { length: Math.max(0, Math.min(limit, rows - offset)) },
        (_, i) => offset + i,
      );
    },
    async dispose() {
      s.disposed = true;
    },
  };
  return s;
}

describe('CursorStore', () => {
  it('pages, then closes the cursor at the end and disposes its source', async () => {
    const store = new CursorStore();
    const src = source(5);
    const id = await store.open(src, 2, 5, {});
    const entry = await store.get(id);
    expect(await entry.source.page({ offset: entry.offset, limit: 2 })).toEqual([2, 3]);
    expect(await store.advance(id, 4)).toBe(true);
    expect(await store.advance(id, 5)).toBe(false);
    expect(src.disposed).toBe(true);
    await expect(store.get(id)).rejects.toSatisfy(CursorNotFoundError.isInstance);
    expect(await store.advance(id, 6)).toBe(false);
  });

  it('evicts the least recently used cursor beyond the limit', async () => {
    const store = new CursorStore({ maxCursors: 2 });
    const a = source(10);
    const b = source(10);
    const idA = await store.open(a, 0, 10, {});
    const idB = await store.open(b, 0, 10, {});
    await store.get(idA); // A is now the most recent
    await store.open(source(10), 0, 10, {});
    expect(b.disposed).toBe(true);
    expect(a.disposed).toBe(false);
    await expect(store.get(idB)).rejects.toThrow(/unknown or has expired/);
    expect(store.size).toBe(2);
    await store.closeAll();
    expect(a.disposed).toBe(true);
  });

  it('expires idle cursors', async () => {
    let now = 0;
    const store = new CursorStore({ ttlMs: 100, now: () => now });
    const src = source(10);
    const id = await store.open(src, 0, 10, {});
    now = 50;
    await store.get(id);
    now = 140;
    await store.get(id); // renewed at 50
    now = 300;
    await expect(store.get(id)).rejects.toSatisfy(CursorNotFoundError.isInstance);
    expect(src.disposed).toBe(true);
  });
});
