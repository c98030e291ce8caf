import { type Duplex, PassThrough, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { BackupValidationError } from './errors.js';
import { ReleasingZlib } from './release.js';

export type CompressionKind = 'zstd' | 'gzip' | 'none';

export interface CompressionSettings {
  kind: CompressionKind;
  level: number;
}

/** Size of zlib's output buffers (their slices are released by the last consumer). */
export const CHUNK = 64 * 1024;

/** Whether this runtime's node:zlib has zstd (Node >= 22.15 / 23.8). */
export function zstdAvailable(): boolean {
  return typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';
}

/** Resolves the requested compression: zstd falls back to gzip where the runtime lacks it. */
export function resolveCompression(
  kind: CompressionKind | undefined,
  level: number | undefined,
): CompressionSettings {
  const chosen = kind ?? 'zstd';
  const effective: CompressionKind = chosen === 'zstd' && !zstdAvailable() ? 'gzip' : chosen;
  // zstd 1: on pg_dump output it was both faster and smaller than level 3 (and than gzip 6) in our
  // benchmarks; see the README
  const defaults: Record<CompressionKind, number> = { zstd: 1, gzip: 6, none: 0 };
  const ranges: Record<CompressionKind, [number, number]> = {
    zstd: [1, 19],
    gzip: [1, 9],
    none: [0, 0],
  };
  const resolved = level === undefined || chosen !== effective ? defaults[effective] : level;
  const [min, max] = ranges[effective];
  if (resolved < min || resolved > max) {
    throw new BackupValidationError('compression', [
      `level ${resolved} is outside ${min}..${max} for ${effective}`,
    ]);
  }
  return { kind: effective, level: resolved };
}

export function createCompressor(settings: CompressionSettings): Transform {
  switch (settings.kind) {
    case 'zstd':
      return zlib.createZstdCompress({
        chunkSize: CHUNK,
        params: { [zlib.constants.ZSTD_c_compressionLevel]: settings.level },
      });
    case 'gzip':
      return zlib.createGzip({ level: settings.level, chunkSize: CHUNK });
    default:
      return new PassThrough();
  }
}

export function createDecompressor(kind: CompressionKind): Transform {
  switch (kind) {
    case 'zstd':
      if (!zstdAvailable()) {
        throw new BackupValidationError('runtime', [
          'this backup is zstd-compressed but node:zlib has no zstd here; run on Node >= 22.15',
        ]);
      }
      return zlib.createZstdDecompress({ chunkSize: CHUNK });
    case 'gzip':
      return zlib.createGunzip({ chunkSize: CHUNK });
    default:
      return new PassThrough();
  }
}

/**
 * The compressor or decompressor of an internal pipeline. With `releaseInput`, the input chunks
 * are this package's own and are released as soon as zlib has consumed them (see release.ts).
 */
export function compressionStage(
  direction: 'compress' | 'decompress',
  settings: CompressionSettings,
  releaseInput: boolean,
): Duplex {
  const stream =
    direction === 'compress' ? createCompressor(settings) : createDecompressor(settings.kind);
  return settings.kind === 'none' ? stream : new ReleasingZlib(stream, releaseInput);
}
