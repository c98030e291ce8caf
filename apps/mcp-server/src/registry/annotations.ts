import type { AnyTool, ToolAnnotations } from './types.js';

/** Under --read-only every registered tool is read-only (execute_sql runs READ ONLY). */
export function annotationsFor(tool: AnyTool, readOnly: boolean): ToolAnnotations {
  if (!readOnly || tool.annotations.readOnlyHint) return tool.annotations;
  return { ...tool.annotations, readOnlyHint: true, destructiveHint: false };
}
