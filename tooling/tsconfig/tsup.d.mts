import type { Options } from 'tsup';

/** Returns a tsup config; typed loosely so a package's config needs no reference to this package's tsup copy. */
export declare function defineLibraryConfig(overrides?: Options): Record<string, unknown>;
