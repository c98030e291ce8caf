/**
 * A reader that went away (`supaops … | head -1`) makes Node's next write to the pipe fail
 * with EPIPE, emitted as an 'error' event: without a listener the process dies with a stack
 * trace. Node ignores SIGPIPE, so this is where the CLI gets the quiet end a shell tool has.
 */
export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/**
 * Calls `onClosed` once when the reader of `stream` has gone; any other write error goes to
 * `onOther` (default: thrown, as without a listener). The listener stays, so the failures of
 * later writes to the closed pipe are swallowed too.
 */
export function onClosedPipe(
  stream: NodeJS.WritableStream,
  onClosed: () => void,
  onOther: (error: Error) => void = (error) => {
    throw error;
  },
): void {
  let closed = false;
  stream.on('error', (error: Error) => {
    if (!isClosedPipe(error)) onOther(error);
    else if (!closed) {
      closed = true;
      onClosed();
    }
  });
}
