import { z } from 'zod';
import type { AnyTool } from './types.js';

/** The shape of `error` in a failed call's structuredContent. */
export const errorSchema = z.object({ code: z.string(), message: z.string() });

/** The shape of `confirmation` in the first call of a confirmed tool. */
export const confirmationSchema = z.object({
  required: z.literal(true),
  summary: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  dryRun: z.record(z.string(), z.unknown()),
});

/** True when the tool takes an `instance` argument. */
export function hasInstanceArg(tool: AnyTool): boolean {
  return 'instance' in tool.input.shape;
}

/**
 * The input schema tools/list shows: without `instance` when the server is scoped to one
 * instance, with `confirmationToken` when the tool asks for confirmation.
 */
export function inputSchemaFor(
  tool: AnyTool,
  scope: { instance?: string | undefined },
): z.ZodObject {
  let schema: z.ZodObject = tool.input;
  if (scope.instance && hasInstanceArg(tool)) schema = schema.omit({ instance: true });
  if (tool.confirm) {
    schema = schema.extend({
      confirmationToken: z.string().max(200).optional().describe('From the dry run'),
    });
  }
  return schema;
}

/**
 * The output schema tools/list shows. Every field is optional there because a failed call carries
 * only `error`, and a call waiting for confirmation only `confirmation`; a successful call is
 * checked against the tool's full output schema before it is sent.
 */
export function outputSchemaFor(tool: AnyTool): z.ZodObject {
  return tool.output.partial().extend({
    error: errorSchema.optional(),
    ...(tool.confirm ? { confirmation: confirmationSchema.optional() } : {}),
  });
}
