/**
 * Builds a value on the first call and returns that same value afterwards. zod schemas are
 * built this way rather than at module top level: building them all cost ~10-25 ms on every
 * import, most of a `supaops keys check` start, though a caller uses one or two.
 */
export function lazy<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}
