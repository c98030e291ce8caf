/** A FIFO of buffers that hands out exact-size slices without re-copying everything it holds. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  private finished: Buffer[] = [];
  length = 0;
  /** Whether the last `take` had to copy (the slice spanned chunks): the copy is the caller's. */
  lastTakeCopied = false;

  /** With `trackDrained`, chunks taken completely are kept for `drained()` (to release them). */
  constructor(private readonly trackDrained = false) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  private shift(): void {
    const done = this.chunks.shift()!;
    if (this.trackDrained) this.finished.push(done);
    this.head = 0;
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with only ${this.length} bytes queued`);
    const first = this.chunks[0];
    if (!first || first.length - this.head >= n) {
      this.lastTakeCopied = false;
      if (!first) return Buffer.alloc(0);
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) this.shift();
      this.length -= n;
      return out;
    }
    this.lastTakeCopied = true;
    const out = Buffer.allocUnsafeSlow(n);
    let written = 0;
    while (written < n) {
      const chunk = this.chunks[0]!;
      const available = chunk.length - this.head;
      const count = Math.min(available, n - written);
      chunk.copy(out, written, this.head, this.head + count);
      written += count;
      this.head += count;
      if (this.head === chunk.length) this.shift();
    }
    this.length -= n;
    return out;
  }

  /** Removes and returns everything queued. */
  takeAll(): Buffer {
    return this.take(this.length);
  }

  /** The chunks taken completely since the last call (only with `trackDrained`). */
  drained(): Buffer[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }
}
