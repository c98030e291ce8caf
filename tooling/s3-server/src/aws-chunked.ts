/**
 * Decodes an `aws-chunked` body (SigV4 streaming payloads, with or without trailers):
 * `<hex size>[;chunk-signature=…]\r\n<data>\r\n` repeated, ending with a zero-size chunk
 * and optional trailing headers. Chunk signatures are not verified.
 */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('aws-chunked body ends inside a chunk header');
    const header = raw.subarray(offset, lineEnd).toString('latin1');
    const size = Number.parseInt(header.split(';')[0]!, 16);
    if (!Number.isFinite(size) || size < 0) {
      throw new Error(`aws-chunked body has an invalid chunk size "${header.slice(0, 20)}"`);
    }
    const start = lineEnd + 2;
    if (size === 0) return Buffer.concat(out);
    if (start + size > raw.length) throw new Error('aws-chunked body ends inside a chunk');
    out.push(raw.subarray(start, start + size));
    offset = start + size + 2;
  }
  throw new Error('aws-chunked body has too many chunks');
}
