// The public surface of @supaops/mcp-server. Named exports only.
export { Runtime, SANDBOX_INSTANCE, type SandboxState } from './context.js';
export { CursorStore, type CursorStoreOptions, type PagedSource } from './cursors.js';
export {
  CloneSmtpUnusableError,
  ConfirmationDeclinedError,
  ConfirmationError,
  type ConfirmationFailure,
  CursorNotFoundError,
  DomainChangeBlockedError,
  HttpStartError,
  InstanceCapabilityError,
  McpOptionsError,
  McpServerError,
  type McpServerErrorCode,
  RestoreRefusedError,
  ToolCancelledError,
  UnknownServiceError,
} from './errors.js';
export {
  type ParsedArgv,
  parseArgv,
  type RunOptions,
  type SelfhostToolOptions,
  type ServerOptions,
  USAGE,
} from './options.js';
export { annotationsFor } from './registry/annotations.js';
export { selectTools, type ToolSelection } from './registry/filter.js';
export { listedTool } from './registry/listing.js';
export { inputSchemaFor, outputSchemaFor } from './registry/schemas.js';
export { TOOLS } from './registry/tools.js';
export {
  type AnyTool,
  type DryRun,
  defineTool,
  FEATURE_GROUPS,
  type FeatureGroup,
  type ToolAnnotations,
  type ToolContext,
  type ToolDefinition,
  type ToolOutput,
} from './registry/types.js';
export { type RunningServer, type RunOptionsWithStreams, runMcpServer } from './run.js';
export { ConfirmationTokens, canonicalJson } from './safety/confirmation.js';
export { Redactor } from './safety/redactor.js';
export { safeJson, wrapUntrusted } from './safety/untrusted.js';
export {
  type CreateServerOptions,
  createSupaopsMcpServer,
  type SupaopsMcpServer,
} from './server.js';
export { VERSION } from './version.js';
