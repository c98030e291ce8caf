export { type ComposeDependency, type ComposeService, composeServices } from './compose-file.js';
export type { SimDeployEvent } from './deploy-queue.js';
export { signHs256 } from './jwt.js';
export {
  type DokploySimulator,
  DokploySimulatorError,
  type DokploySimulatorOptions,
  type SimRequestRecord,
  type SimTraefikRoute,
  type SimulatorFaults,
  startDokploySimulator,
} from './server.js';
export type {
  ComposeStatus,
  ContainerHealth,
  DeploymentStatus,
  SimApiKey,
  SimCompose,
  SimContainer,
  SimDeployment,
  SimDomain,
  SimEnvironment,
  SimMount,
  SimProject,
  SimRole,
  SimRoute,
  SimulatorState,
} from './state.js';
