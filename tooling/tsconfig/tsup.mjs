// The one build config of every supaops package: ESM, .d.ts, source maps, Node 22.
// A package's tsup.config.ts passes only what differs (more entries, externals).

/** @param {import('tsup').Options} [overrides] */
export function defineLibraryConfig(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    ...overrides,
  };
}
