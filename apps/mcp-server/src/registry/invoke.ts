import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuditEntry, InstancePart, ResolvedInstance } from '@supaops/config';
import type { Runtime } from '../context.js';
import {
  ConfirmationDeclinedError,
  ConfirmationError,
  InstanceCapabilityError,
} from '../errors.js';
import { askConfirmation } from '../safety/elicitation.js';
import { safeJson, wrapUntrusted } from '../safety/untrusted.js';
import type { Session } from '../session.js';
import { hasInstanceArg } from './schemas.js';
import type { AnyTool, ToolContext, ToolOutput } from './types.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const PROGRESS_INTERVAL_MS = 250;

export interface InvokeDeps {
  runtime: Runtime;
  session: Session;
}

function errorInfo(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: typeof e?.code === 'string' ? e.code : 'MCP_TOOL_FAILED',
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}

class CallContext implements ToolContext {
  readonly reveals = new Set<string>();
  readonly readOnly: boolean;
  readonly signal: AbortSignal;
  readonly session: Session;
  readonly runtime: Runtime;
  instanceName: string | undefined;
  readonly #extra: Extra;
  #lastProgress = 0;

  constructor(deps: InvokeDeps, extra: Extra) {
    this.runtime = deps.runtime;
    this.session = deps.session;
    this.readOnly = deps.runtime.options.readOnly === true;
    this.signal = extra.signal;
    this.#extra = extra;
  }

  async instance(
    name: string | undefined,
    need: readonly InstancePart[],
  ): Promise<ResolvedInstance> {
    const instance = await this.runtime.instance(name, need);
    this.instanceName = instance.name;
    return instance;
  }

  pool(instance: ResolvedInstance) {
    const url = instance.database.session ?? instance.database.transaction;
    if (!url) {
      throw new InstanceCapabilityError(
        instance.name,
        'database connection',
        `add database.session (a URL without the password plus database.password, or a secret reference) to instance "${instance.name}" in supaops.config.json.`,
      );
    }
    return this.runtime.pool(instance, url);
  }

  progress(progress: number, total?: number, message?: string, milestone = false): void {
    const token = this.#extra._meta?.progressToken;
    if (token === undefined) return;
    const now = Date.now();
    const final = total !== undefined && progress >= total;
    if (!final && !milestone && now - this.#lastProgress < PROGRESS_INTERVAL_MS) return;
    this.#lastProgress = now;
    const params = {
      progressToken: token,
      progress,
      ...(total === undefined ? {} : { total }),
      ...(message === undefined ? {} : { message: this.runtime.redactor.redactString(message) }),
    };
    this.#extra.sendNotification({ method: 'notifications/progress', params }).catch(() => {});
  }

  untrusted(what: string, value: unknown): string {
    return wrapUntrusted(what, value);
  }

  reveal(value: string | undefined): void {
    if (value) this.reveals.add(value);
  }

  addSecrets(values: Iterable<string | undefined>): void {
    this.runtime.redactor.add(values);
  }
}

/** The first call of a confirmed tool: elicitation when the client supports it, else a token. */
async function confirmGate(
  tool: AnyTool,
  args: Record<string, unknown>,
  token: string | undefined,
  ctx: CallContext,
  deps: InvokeDeps,
): Promise<ToolOutput<Record<string, unknown>> | undefined> {
  const { runtime } = deps;
  if (token !== undefined) {
    runtime.tokens.consume(tool.name, args, token);
    return undefined;
  }
  const dry = tool.dryRun
    ? await tool.dryRun(args, ctx)
    : { summary: `${tool.title}.`, details: {} };
  const server = deps.session.server?.server;
  if (server) {
    const message = runtime.redactor.redactString(
      `${tool.title}: ${dry.summary}\n\n${safeJson(dry.details)}`,
    );
    const answer = await askConfirmation(server, message, ctx.signal);
    if (answer === 'accept') return undefined;
    if (answer !== 'unsupported') throw new ConfirmationDeclinedError(tool.name, answer);
  }
  const issued = runtime.tokens.issue(tool.name, args);
  const structured = {
    confirmation: {
      required: true as const,
      summary: dry.summary,
      token: issued.token,
      expiresAt: issued.expiresAt,
      dryRun: dry.details,
    },
  };
  return {
    structured,
    text:
      `Confirmation required: ${dry.summary}\n` +
      `Nothing was changed. Show this to the user; if they agree, call ${tool.name} again with the same arguments and confirmationToken "${issued.token}" (valid until ${issued.expiresAt}).\n` +
      safeJson(dry.details),
  };
}

/**
 * Runs one tool call: scope injection, confirmation, the handler, the strict output check,
 * redaction of everything sent, and the audit entry of write calls.
 */
export async function invokeTool(
  tool: AnyTool,
  rawArgs: Record<string, unknown>,
  extra: Extra,
  deps: InvokeDeps,
): Promise<CallToolResult> {
  const { runtime } = deps;
  const started = performance.now();
  const { confirmationToken, ...rest } = rawArgs;
  const scope = runtime.options.instance;
  const args = scope && hasInstanceArg(tool) ? { ...rest, instance: scope } : rest;
  const ctx = new CallContext(deps, extra);
  let outcome: AuditEntry['outcome'] = 'ok';
  let failure: { code: string; message: string } | undefined;
  let result: CallToolResult;
  try {
    await runtime.ready();
    let output: ToolOutput<Record<string, unknown>> | undefined;
    if (tool.confirm && (await tool.confirm(args, ctx))) {
      output = await confirmGate(
        tool,
        args,
        typeof confirmationToken === 'string' ? confirmationToken : undefined,
        ctx,
        deps,
      );
      if (output) outcome = 'dry-run';
    }
    if (!output) {
      output = await tool.handler(args, ctx);
      // the declared schema is partial (errors and confirmations): hold results to the full one
      tool.output.parse(output.structured);
    }
    const structured = runtime.redactor.redact(output.structured, ctx.reveals);
    const text = runtime.redactor.redactString(
      output.text ?? safeJson(output.structured),
      ctx.reveals,
    );
    result = { content: [{ type: 'text', text }], structuredContent: structured };
  } catch (error) {
    const refused =
      ConfirmationError.isInstance(error) || ConfirmationDeclinedError.isInstance(error);
    outcome = refused ? 'refused' : 'error';
    const info = errorInfo(error);
    failure = {
      code: info.code,
      message: runtime.redactor.redactString(info.message),
    };
    result = {
      isError: true,
      content: [{ type: 'text', text: `${failure.code}: ${failure.message}` }],
      structuredContent: { error: failure },
    };
  }
  if (tool.write || tool.audit?.(args, ctx)) {
    await runtime.audit
      .append(
        {
          source: 'mcp',
          action: tool.name,
          ...(ctx.instanceName ? { instance: ctx.instanceName } : {}),
          args: runtime.redactor.redact(args),
          outcome,
          ...(failure ? { error: failure } : {}),
          durationMs: Math.round(performance.now() - started),
        },
        { secrets: runtime.redactor.secrets },
      )
      .catch((error: unknown) => runtime.log(`audit log: ${(error as Error).message}`));
  }
  return result;
}
