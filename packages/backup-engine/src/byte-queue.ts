/** A FIFO of buffers that hands out exact-size slices without re-copying everything it holds. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with only ${this.length} bytes queued`);
    const first = this.chunks[0];
    if (first && first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      this.length -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    while (written < n) {
      const chunk = this.chunks[0]!;
      const available = chunk.length - this.head;
      const count = Math.min(available, n - written);
      chunk.copy(out, written, this.head, this.head + count);
      written += count;
      this.head += count;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.length -= n;
    return out;
  }

  /** Removes and returns everything queued. */
  takeAll(): Buffer {
    return this.take(this.length);
  }
}
