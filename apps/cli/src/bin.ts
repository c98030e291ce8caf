import module from 'node:module';
import { onClosedPipe } from './output/closed-pipe.js';

// Reuse V8's compiled code across runs: most of a short command's start is module compilation.
module.enableCompileCache?.();

const { runCli } = await import('./run.js');
// `supaops … | head -1`: the reader has what it wanted, so the command ends quietly with exit 0
// (a shell tool's SIGPIPE end); a closed stderr only stops the messages
onClosedPipe(process.stdout, () => process.exit(0));
onClosedPipe(process.stderr, () => {});
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  // a second Ctrl-C, or an operation that does not stop, ends the process at once
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error('interrupted (SIGINT)'));
  setTimeout(() => process.exit(130), 10_000).unref();
});
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // process.stdin opens a handle when first read: only commands that use it pay for it
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
