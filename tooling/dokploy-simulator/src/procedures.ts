import type { Procedure } from './procedure.js';
import { accountProcedures } from './procedures/account.js';
import { composeProcedures } from './procedures/compose.js';
import { composeTemplateProcedures } from './procedures/compose-templates.js';
import { deploymentProcedures } from './procedures/deployment.js';
import { dockerProcedures } from './procedures/docker.js';
import { domainProcedures } from './procedures/domain.js';
import { environmentProcedures } from './procedures/environment.js';
import { mountProcedures } from './procedures/mounts.js';
import { projectProcedures } from './procedures/project.js';

export type { Procedure, ProcedureContext } from './procedure.js';

/** Every procedure the simulator serves, by tRPC path. */
export const PROCEDURES: Readonly<Record<string, Procedure>> = {
  ...accountProcedures,
  ...projectProcedures,
  ...environmentProcedures,
  ...composeProcedures,
  ...composeTemplateProcedures,
  ...domainProcedures,
  ...deploymentProcedures,
  ...dockerProcedures,
  ...mountProcedures,
};
