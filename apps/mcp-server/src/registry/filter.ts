import type { AnyTool, FeatureGroup } from './types.js';

export interface ToolSelection {
  readOnly?: boolean | undefined;
  features?: FeatureGroup[] | undefined;
}

/** The tools a server with these flags registers: no write tool under --read-only, only the named groups. */
export function selectTools(tools: readonly AnyTool[], selection: ToolSelection): AnyTool[] {
  return tools.filter(
    (t) =>
      (!selection.readOnly || !t.write) &&
      (!selection.features || selection.features.includes(t.group)),
  );
}
