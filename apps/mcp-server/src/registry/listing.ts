import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { annotationsFor } from './annotations.js';
import { inputSchemaFor } from './schemas.js';
import type { AnyTool } from './types.js';

// Bounds that only guard the server (string and array sizes) and JSON Schema boilerplate cost
// tools/list bytes in every session without telling the model anything; the server still
// enforces the full zod schema on every call.
const DROPPED_KEYS = new Set(['$schema', 'minLength', 'maxLength', 'maxItems', 'propertyNames']);

function compact(node: unknown, io: 'input' | 'output'): unknown {
  if (Array.isArray(node)) return node.map((n) => compact(n, io));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key)) continue;
    // results are described, not constrained: they are checked against the full zod schema
    if (io === 'output' && key === 'required') continue;
    if (key === 'maximum' && typeof value === 'number' && value >= 1000) continue;
    // output objects stay open, so `error` and `confirmation` results validate against them
    if (key === 'additionalProperties' && (value === false || isEmptyObject(value))) continue;
    out[key] = compact(value, io);
  }
  return out;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Tool['inputSchema'] {
  return compact(z.toJSONSchema(schema, { io, target: 'draft-7' }), io) as Tool['inputSchema'];
}

/**
 * The tools/list entry of a tool: its input schema (without `instance` when scoped), its output
 * schema with every field optional and open (a failed call carries only `error`, a call waiting
 * for confirmation only `confirmation`), and all four annotations.
 */
export function listedTool(
  tool: AnyTool,
  options: { instance?: string | undefined; readOnly?: boolean | undefined },
): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(inputSchemaFor(tool, options), 'input'),
    // compact() drops output `required`, so the full schema lists the same JSON as its
    // .partial() would, without building (and converting) a partial copy of every schema:
    // about 1 MB less allocated while the first tools/list is answered
    outputSchema: jsonSchema(tool.output, 'output') as Tool['outputSchema'],
    annotations: annotationsFor(tool, options.readOnly === true),
  };
}
