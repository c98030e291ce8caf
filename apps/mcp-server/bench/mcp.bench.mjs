// pnpm bench: the goals of the MCP server, each as a ratio against a baseline measured in this run.
// Needs `pnpm build` first (it spawns dist/bin.js). Every server runs in a temp HOME with the
// sandbox already running (started here), as the first goal prescribes.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSandbox, stopSandbox } from '@supaops/sandbox';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const SUPABASE_BIN = fileURLToPath(
  new URL('../node_modules/@supabase/mcp-server-supabase/dist/cli.js', import.meta.url),
);
// raw `pg` is pg-connect's dependency: resolve it from there (pnpm keeps it out of our tree)
const pg = createRequire(createRequire(import.meta.url).resolve('@supaops/pg-connect'))('pg');

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 9);
const SQL_CALLS = Number(process.env.BENCH_SQL_CALLS ?? 400);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
const results = [];
function report(goal, value, limit, unit, detail) {
  const ok = value <= limit;
  results.push(ok);
  console.log(
    `${verdict(ok)}  ${goal}: ${value.toFixed(unit === '×' ? 3 : 2)}${unit} (limit ${limit}${unit})  ${detail}`,
  );
}

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Spawns a server, sends initialize + tools/list, returns ms to the tools/list answer, its size and RSS. */
function coldStart(command, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args[0]}: no tools/list answer within 20 s`));
    }, 20_000);
    child.on('error', reject);
    child.stdout.on('data', async (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        const message = JSON.parse(line);
        if (message.id === 1) {
          child.stdin.write(
            `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
          );
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
        } else if (message.id === 2) {
          const ms = performance.now() - started;
          clearTimeout(timer);
          if (!message.result) {
            child.kill('SIGKILL');
            reject(new Error(`${args[0]}: tools/list failed: ${line.slice(0, 300)}`));
            return;
          }
          const rss = await rssMb(child.pid).catch(() => Number.NaN);
          child.kill('SIGKILL');
          resolve({
            ms,
            bytes: Buffer.byteLength(JSON.stringify(message.result)),
            tools: message.result.tools.length,
            rss,
          });
        }
      }
    });
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'bench', version: '1' },
        },
      })}\n`,
    );
  });
}

const root = await mkdtemp(join(tmpdir(), 'supaops-mcp-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: root,
  XDG_CONFIG_HOME: join(root, 'config'),
  XDG_DATA_HOME: join(root, 'data'),
  XDG_STATE_HOME: join(root, 'state'),
  XDG_CACHE_HOME: join(root, 'cache'),
  SUPAOPS_DATA_DIR: join(root, 'supaops-data'),
};
const supabaseArgs = [
  SUPABASE_BIN,
  '--access-token',
  'sbp_0000000000000000000000000000000000000000',
  // every group but docs: docs fetches the content API's schema before answering tools/list
  '--features',
  'account,database,debugging,development,functions,branching,storage',
];

try {
  const sandbox = await startSandbox({ env });
  console.log(
    `sandbox on 127.0.0.1:${sandbox.port} (${sandbox.reused ? 'reused' : 'started'}); node ${process.version}`,
  );

  // 1-3. cold start to tools/list, interleaved with Supabase's server; size; RSS
  const ours = [];
  const theirs = [];
  let listing;
  // one warm-up each (file system cache), not counted
  await coldStart(process.execPath, [BIN], env, root);
  await coldStart(process.execPath, supabaseArgs, env, root);
  for (let i = 0; i < COLD_RUNS; i++) {
    const a = await coldStart(process.execPath, [BIN], env, root);
    const b = await coldStart(process.execPath, supabaseArgs, env, root);
    ours.push(a);
    theirs.push(b);
    listing = a;
  }
  const oursMs = median(ours.map((r) => r.ms));
  const theirsMs = median(theirs.map((r) => r.ms));
  report(
    'cold start to tools/list vs @supabase/mcp-server-supabase',
    oursMs / theirsMs,
    0.8,
    '×',
    `median of ${COLD_RUNS}: ${oursMs.toFixed(0)} ms vs ${theirsMs.toFixed(0)} ms (${listing.tools} vs ${theirs[0].tools} tools)`,
  );
  report(
    'tools/list size per tool, every group on',
    listing.bytes / listing.tools,
    800,
    ' B',
    `${listing.bytes} bytes / ${listing.tools} tools (Supabase: ${(theirs[0].bytes / theirs[0].tools).toFixed(0)} B/tool)`,
  );
  const rss = median(ours.map((r) => r.rss));
  report(
    'RSS after start (tools/list answered)',
    rss,
    80,
    ' MB',
    `median; Supabase's server: ${median(theirs.map((r) => r.rss)).toFixed(1)} MB`,
  );

  // 4. execute_sql SELECT 1 over stdio against raw pg, alternating call by call
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env,
    cwd: root,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const raw = new pg.Client({ connectionString: sandbox.url() });
  await raw.connect();
  for (let i = 0; i < 50; i++) {
    await client.callTool({ name: 'execute_sql', arguments: { sql: 'SELECT 1' } });
    await raw.query('SELECT 1');
  }
  const viaMcp = [];
  const viaPg = [];
  for (let i = 0; i < SQL_CALLS; i++) {
    let t = performance.now();
    const res = await client.callTool({ name: 'execute_sql', arguments: { sql: 'SELECT 1' } });
    viaMcp.push(performance.now() - t);
    if (res.isError) throw new Error(JSON.stringify(res.content));
    t = performance.now();
    await raw.query('SELECT 1');
    viaPg.push(performance.now() - t);
  }
  const rssAfterSql = await rssMb(transport.pid).catch(() => Number.NaN);
  await raw.end();
  await client.close();
  const mcpP50 = median(viaMcp);
  const pgP50 = median(viaPg);
  report(
    'execute_sql SELECT 1 over stdio, p50 above raw pg',
    mcpP50 - pgP50,
    3,
    ' ms',
    `p50 ${mcpP50.toFixed(3)} ms vs ${pgP50.toFixed(3)} ms over ${SQL_CALLS} alternating calls; server RSS after them ${rssAfterSql.toFixed(1)} MB`,
  );

  // 5. 100 concurrent tool calls over HTTP
  const http = spawn(process.execPath, [BIN, '--http', '--port', '0'], {
    env,
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  http.stderr.on('data', (c) => {
    stderr += c;
  });
  for (let i = 0; i < 400 && !/Bearer (smcp_\S+)/.test(stderr); i++)
    await new Promise((r) => setTimeout(r, 25));
  const url = /Streamable HTTP on (\S+)/.exec(stderr)?.[1];
  const token = /Bearer (smcp_\S+)/.exec(stderr)?.[1];
  const httpClient = new Client({ name: 'bench-http', version: '1' });
  await httpClient.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  const t0 = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: 100 }, (_, i) =>
      httpClient.callTool({
        name: 'execute_sql',
        arguments: { sql: 'SELECT $1::int AS i', params: [i] },
      }),
    ),
  );
  const wall = performance.now() - t0;
  const errors = settled.filter((s) => s.status === 'rejected' || s.value.isError).length;
  await httpClient.close();
  http.kill('SIGTERM');
  report(
    'errors in 100 concurrent tool calls over HTTP',
    errors,
    0,
    '',
    `all 100 in ${wall.toFixed(0)} ms`,
  );
} finally {
  await stopSandbox({ env }).catch(() => {});
  await rm(root, { recursive: true, force: true });
}

console.log(
  results.every(Boolean) ? 'all goals met' : `${results.filter((r) => !r).length} goal(s) missed`,
);
process.exitCode = results.every(Boolean) ? 0 : 1;
