// The public surface of @supaops/supabase-gateway-simulator. Named exports only.

export type { GatewayProblem } from './boot-state.js';
export type {
  BucketRow,
  CatalogColumn,
  CatalogFunction,
  CatalogTable,
  RestCatalog,
  UserRow,
} from './data-source.js';
export { parseEnvText } from './env-text.js';
export {
  GatewayEnvError,
  GatewayListenError,
  GatewayOptionsError,
  GatewayStoppedError,
  SupabaseGatewayError,
  type SupabaseGatewayErrorCode,
} from './errors.js';
export type { GatewayFaults, GatewayRequestRecord, UpstreamFault } from './kong-gateway.js';
export type { KongVersion, Upstream } from './kong-profile.js';
export {
  defaultGatewayData,
  type GatewayData,
  type SimBucket,
  type SimFunction,
  type SimTable,
  type SimUser,
} from './memory-source.js';
export type { SupabaseGatewayOptions } from './options.js';
export { type SupabaseGateway, startSupabaseGateway } from './server.js';
