import { Runtime } from './context.js';
import { parseArgv, type RunOptions, USAGE, validateRunOptions } from './options.js';
import { VERSION } from './version.js';

export interface RunOptionsWithStreams extends RunOptions {
  /** stdio transport on these streams instead of the process's (embedding, tests). */
  stdio?: { stdin: import('node:stream').Readable; stdout: import('node:stream').Writable };
}

export interface RunningServer {
  runtime: Runtime;
  /** Set for --http: the MCP endpoint. */
  url?: string;
  /** Resolves when the server has stopped (stdin closed, or stop()). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** stdout belongs to the protocol in stdio mode: anything a library prints goes to stderr. */
function protectStdout(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

/**
 * Runs the server: `supaops-mcp [flags]` (an argv array) or options from code. This is what the
 * CLI's `supaops mcp` calls. Resolves once it serves; `done` resolves when it stops.
 */
export async function runMcpServer(
  input: string[] | RunOptionsWithStreams = [],
): Promise<RunningServer | undefined> {
  let options: RunOptions;
  let streams: RunOptionsWithStreams['stdio'];
  if (Array.isArray(input)) {
    const parsed = parseArgv(input);
    if (parsed.kind === 'help') {
      process.stderr.write(`${USAGE}\n`);
      return undefined;
    }
    if (parsed.kind !== 'run') {
      process.stderr.write(`${VERSION}\n`);
      return undefined;
    }
    options = parsed.options;
  } else {
    const { stdio, ...rest } = input;
    streams = stdio;
    options = validateRunOptions(rest);
  }
  const { transport = 'stdio', http, ...serverOptions } = options;
  if (transport === 'stdio' && !streams) protectStdout();
  const runtime = await Runtime.create(serverOptions);
  // the embedded sandbox starts after the handshake (tools/list calls warmUp) or a second in
  setTimeout(() => runtime.warmUp(), 1000).unref();

  if (transport === 'http') {
    const { serveHttp } = await import('./transports/http.js');
    const handle = await serveHttp(runtime, http ?? {});
    announceHttp(runtime, handle);
    runtime.redactor.add([handle.token.token]);
    let stopped: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const stop = async () => {
      await handle.close();
      await runtime.close();
      stopped();
    };
    return { runtime, url: handle.url, done, stop };
  }

  const { serveStdio } = await import('./transports/stdio.js');
  const { mcp, closed } = await serveStdio(runtime, streams);
  const stop = async () => {
    await mcp.close();
    await runtime.close();
  };
  const done = closed.then(stop);
  return { runtime, done, stop };
}

function announceHttp(
  runtime: Runtime,
  handle: import('./transports/http.js').HttpServerHandle,
): void {
  const { token } = handle;
  runtime.log(
    `Streamable HTTP on ${handle.url} (health: ${handle.url.replace(/\/mcp$/, '/health')})`,
  );
  if (token.source === 'generated') {
    // shown this once, before the token joins the redactor; it stays in the 0600 file
    process.stderr.write(
      `supaops-mcp: generated a bearer token (stored 0600 in ${token.file}; shown only now):\n` +
        `supaops-mcp:   Authorization: Bearer ${token.token}\n` +
        `supaops-mcp: connect, e.g.: claude mcp add --transport http supaops ${handle.url} --header "Authorization: Bearer ${token.token}"\n`,
    );
  } else {
    const where =
      token.source === 'file'
        ? `the token in ${token.file}`
        : token.source === 'env'
          ? 'the token in SUPAOPS_MCP_TOKEN'
          : 'the token of config mcp.http.token';
    runtime.log(`connect with header "Authorization: Bearer <${where}>"`);
  }
}
