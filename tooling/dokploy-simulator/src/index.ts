export { type ComposeService, composeServices } from './compose-file.js';
export { signHs256 } from './jwt.js';
export {
  type DokploySimulator,
  DokploySimulatorError,
  type DokploySimulatorOptions,
  type SimRequestRecord,
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
  SimulatorState,
} from './state.js';
