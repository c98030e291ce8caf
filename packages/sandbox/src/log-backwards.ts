import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
const ELLIPSIS = Buffer.from(' … ');
const EMPTY = Buffer.alloc(0);

export interface BackwardsOptions {
  /** Bytes read per step. */
  chunkSize?: number;
  /** Bound on the bytes read from the end; the scan stops there. */
  maxBytes: number;
  /** A longer line keeps its start and its end, the middle replaced by ' … '. */
  maxLineBytes?: number;
}

export interface BackwardsResult {
  scannedBytes: number;
  /** True when the first line of the file was visited. */
  reachedStart: boolean;
}

/**
 * Visits the lines of the first `size` bytes of a file from the last to the first, reading
 * fixed-size chunks from the end, so memory stays at one chunk plus one (bounded) line whatever
 * the file's size. `visit` returns false to stop; its buffer is only valid during the call.
 */
export async function readLinesBackwards(
  handle: FileHandle,
  size: number,
  options: BackwardsOptions,
  visit: (line: Buffer) => boolean,
): Promise<BackwardsResult> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const half = Math.floor((options.maxLineBytes ?? 256 * 1024) / 2);
  const chunk = Buffer.allocUnsafe(chunkSize);
  let pos = size;
  let scanned = 0;
  // the part of the current line read so far (its front), and its end once the line was cut
  let carry: Buffer = EMPTY;
  let lineEnd: Buffer | undefined;
  const lineOf = (front: Buffer): Buffer => {
    if (lineEnd) return Buffer.concat([front, carry, ELLIPSIS, lineEnd]);
    return carry.length > 0 ? Buffer.concat([front, carry]) : front;
  };

  while (pos > 0 && scanned < options.maxBytes) {
    const len = Math.min(chunkSize, pos, options.maxBytes - scanned);
    pos -= len;
    let got = 0;
    while (got < len) {
      const { bytesRead } = await handle.read(chunk, got, len - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    // a file truncated under us: what is left is read as is
    const view = chunk.subarray(0, got);
    scanned += len;
    let hi = got;
    while (hi > 0) {
      const nl = view.lastIndexOf(NEWLINE, hi - 1);
      if (nl === -1) break;
      const line = lineOf(view.subarray(nl + 1, hi));
      carry = EMPTY;
      lineEnd = undefined;
      if (!visit(line)) return { scannedBytes: scanned, reachedStart: false };
      hi = nl;
    }
    carry = Buffer.concat([view.subarray(0, hi), carry]);
    if (carry.length > 2 * half) {
      lineEnd ??= Buffer.from(carry.subarray(carry.length - half));
      carry = Buffer.from(carry.subarray(0, half));
    }
  }
  if (pos > 0) return { scannedBytes: scanned, reachedStart: false };
  // the first line of the file has no newline before it
  visit(lineOf(EMPTY));
  return { scannedBytes: scanned, reachedStart: true };
}
