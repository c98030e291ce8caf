import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { type CreateServerOptions, createSupaopsMcpServer } from '../../src/index.js';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
/** The built server over stdio with its post-deploy checks routed to the test's router. */
export const ROUTED = fileURLToPath(new URL('./routed-server.mjs', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(BIN))
    throw new Error(
      `${BIN} is missing. Fix: run \`pnpm --filter @supaops/mcp-server build\` first.`,
    );
}

/** Calls made through `caller`, for the suite-wide check that the secret scan ran. */
export const scanned = { calls: 0 };

/** Throws when the JSON of `value` holds any of the secrets (raw or percent-encoded). */
export function assertNoSecrets(value: unknown, secrets: readonly string[], what = 'output'): void {
  const json = typeof value === 'string' ? value : JSON.stringify(value);
  for (const secret of secrets) {
    for (const form of new Set([
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
    ])) {
      if (json.includes(form)) {
        throw new Error(
          `A fixture secret (${secret.slice(0, 3)}…) leaked into the ${what}: ${json.slice(0, 400)}`,
        );
      }
    }
  }
}

export type Call = (
  name: string,
  args?: Record<string, unknown>,
  options?: RequestOptions & { allow?: string[] },
) => Promise<CallToolResult>;

/** callTool that scans every result for the fixture secrets. */
export function caller(client: Client, secrets: readonly string[]): Call {
  return async (name, args = {}, options = {}) => {
    const { allow = [], ...requestOptions } = options;
    const result = (await client.callTool(
      { name, arguments: args },
      undefined,
      requestOptions,
    )) as CallToolResult;
    assertNoSecrets(
      result,
      secrets.filter((s) => !allow.includes(s)),
      `${name} result`,
    );
    scanned.calls++;
    return result;
  };
}

/** The structured content of a successful call (fails the test on an error result). */
export function ok<T = Record<string, unknown>>(result: CallToolResult): T {
  expect(result.isError, result.isError ? JSON.stringify(result.content) : '').toBeFalsy();
  return result.structuredContent as T;
}

/** The error of a failed call. */
export function failed(result: CallToolResult): { code: string; message: string } {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  return (result.structuredContent as { error: { code: string; message: string } }).error;
}

/** The notifications of a phased run: each milestone among them, one number that only grows. */
export function expectProgress(progress: readonly Progress[], milestones: readonly string[]): void {
  const messages = progress.map((p) => p.message ?? '');
  for (const m of milestones) expect(messages).toContain(m);
  const values = progress.map((p) => p.progress);
  expect(values).toEqual([...values].sort((a, b) => a - b));
}

/** The JSON between a result's untrusted-data boundary lines. */
export function unwrap<T = unknown>(data: string): T {
  const tag = /\n<(untrusted-data-[0-9a-f-]+)>\n/.exec(data)?.[1];
  if (!tag) throw new Error(`no untrusted-data boundary in: ${data.slice(0, 200)}`);
  const open = `\n<${tag}>\n`;
  return JSON.parse(data.slice(data.indexOf(open) + open.length, data.indexOf(`\n</${tag}>`))) as T;
}

export interface Connected {
  client: Client;
  call: Call;
  close(): Promise<void>;
}

/** The server in this process, linked to an SDK Client in memory (coverage counts). */
export async function inProcess(
  options: CreateServerOptions & {
    secrets: readonly string[];
    elicit?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
  },
): Promise<Connected & { logs: string[] }> {
  const { secrets, elicit, ...serverOptions } = options;
  const logs: string[] = [];
  const mcp = await createSupaopsMcpServer({ log: (line) => logs.push(line), ...serverOptions });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: 'supaops-test', version: '1.0.0' },
    { capabilities: elicit ? { elicitation: {} } : {} },
  );
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request));
  await mcp.server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    logs,
    call: caller(client, secrets),
    async close() {
      await client.close();
      await mcp.close();
      assertNoSecrets(logs.join('\n'), secrets, 'server log');
    },
  };
}

/** The built server as a child process over stdio. */
export async function spawnStdio(options: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  args?: string[];
  secrets: readonly string[];
  /** Another entry than dist/bin.js (test/helpers/routed-server.mjs). */
  script?: string;
}): Promise<Connected & { stderr(): string }> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [options.script ?? BIN, ...(options.args ?? [])],
    env: options.env as Record<string, string>,
    cwd: options.cwd,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'supaops-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    call: caller(client, options.secrets),
    stderr: () => stderr,
    async close() {
      await client.close();
      assertNoSecrets(stderr, options.secrets, 'server stderr');
    },
  };
}
