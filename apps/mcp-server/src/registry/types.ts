import type { InstancePart, ResolvedInstance } from '@supaops/config';
import type { SupaopsPool } from '@supaops/pg-connect';
import type { z } from 'zod';

/**
 * Every feature group the registry knows. Groups without tools yet are accepted by --features so
 * later tools (Dokploy, self-hosting, introspection, auth, storage, functions, docs) need no change.
 */
export const FEATURE_GROUPS = [
  'instances',
  'database',
  'migrations',
  'backups',
  'keys',
  'development',
  'dokploy',
  'selfhost',
  'introspection',
  'auth',
  'storage',
  'functions',
  'docs',
] as const;

export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

/** All four MCP tool annotations, always given. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What the first call of a confirmed tool returns (and what an elicitation shows the user). */
export interface DryRun {
  /** One or two sentences: what the confirmed call would do. */
  summary: string;
  /** Facts behind it: pre-checks, the migrations that would roll back, the destructive statements ... */
  details: Record<string, unknown>;
}

/** What a handler returns: the structured result and, optionally, a text rendering of it. */
export interface ToolOutput<Out> {
  structured: Out;
  /** Default: the JSON of `structured`. */
  text?: string;
}

/** The services a handler gets for one call. */
export interface ToolContext {
  /** The server runs with --read-only: SQL must run in read-only transactions. */
  readonly readOnly: boolean;
  /** Aborted when the client cancels the request. */
  readonly signal: AbortSignal;
  /**
   * Resolves an instance (undefined: the default one) with the parts the tool uses (`need`)
   * resolved strictly, the others best-effort; seeds the redactor with its secrets.
   */
  instance(name: string | undefined, need: readonly InstancePart[]): Promise<ResolvedInstance>;
  /** The cached pool of an instance's database (session URL, else transaction URL). */
  pool(instance: ResolvedInstance): Promise<SupaopsPool>;
  /** Sends notifications/progress when the request asked for them (throttled unless `milestone`). */
  progress(progress: number, total?: number, message?: string, milestone?: boolean): void;
  /** Database, log or storage content wrapped in a random untrusted-data boundary. */
  untrusted(what: string, value: unknown): string;
  /** Lets a public value (an anon key) through the redactor for this call's output. */
  reveal(value: string | undefined): void;
  /** Adds values to redact (e.g. secrets found in an env text the caller passed). */
  addSecrets(values: Iterable<string | undefined>): void;
  /** Server-session state: spilled results behind cursors. */
  readonly session: import('../session.js').Session;
  /** Process-wide state: config, instances, pools, audit log. */
  readonly runtime: import('../context.js').Runtime;
}

type Maybe<T> = T | Promise<T>;

/**
 * A tool as data: what tools/list shows, which group it belongs to, whether it writes (drives
 * --read-only), its zod input and output schemas, the optional two-step confirmation, and a
 * handler of a few lines that calls the libraries.
 */
export interface ToolDefinition<
  I extends z.ZodObject = z.ZodObject,
  O extends z.ZodObject = z.ZodObject,
> {
  name: string;
  title: string;
  /** Short: tools/list stays under 800 bytes per tool. */
  description: string;
  group: FeatureGroup;
  annotations: ToolAnnotations;
  /** Changes something: not registered at all with --read-only. */
  write: boolean;
  input: I;
  output: O;
  /** True when this call needs two-step confirmation; then `dryRun` describes what it would do. */
  confirm?: (args: z.output<I>, ctx: ToolContext) => Maybe<boolean>;
  dryRun?: (args: z.output<I>, ctx: ToolContext) => Promise<DryRun>;
  /** When `confirm` asks, in words (the README's tools table). */
  confirmWhen?: string;
  /** Audit this call even though the tool is not a write tool (execute_sql that may write). */
  audit?: (args: z.output<I>, ctx: ToolContext) => boolean;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolOutput<z.output<O>>>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds tools of every argument type
export type AnyTool = ToolDefinition<any, any>;

/** Identity with inference: a tool file is `export default defineTool({ ... })`. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
): AnyTool {
  return tool as unknown as AnyTool;
}
