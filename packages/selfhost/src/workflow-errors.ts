import { ERROR_CODES, SelfhostError, type SelfhostErrorCode } from './errors.js';

/** Stable codes of the wizard, validation and repair errors (also in ERROR_CODES). */
export const WORKFLOW_ERROR_CODES = ERROR_CODES;

type WorkflowCode = SelfhostErrorCode;

function kindCheck(code: WorkflowCode) {
  return (error: unknown): boolean => SelfhostError.isInstance(error) && error.code === code;
}

/** A wizard step failed; `step` names it, `cause` holds the underlying error. Re-run to resume. */
export class WizardStepError extends SelfhostError {
  readonly step: string;
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super(WORKFLOW_ERROR_CODES.WIZARD_STEP_FAILED, message, options);
    this.name = 'WizardStepError';
    this.step = step;
  }
  static override isInstance(error: unknown): error is WizardStepError {
    return kindCheck(WORKFLOW_ERROR_CODES.WIZARD_STEP_FAILED)(error);
  }
}

/** The caller's signal stopped the wizard; the state file says where, a re-run resumes there. */
export class WizardAbortedError extends SelfhostError {
  readonly step: string;
  constructor(step: string, options?: { cause?: unknown }) {
    super(
      WORKFLOW_ERROR_CODES.WIZARD_ABORTED,
      `The setup wizard was aborted during step "${step}". Nothing after it ran. Fix: run the wizard again with the same state file; it resumes at "${step}".`,
      options,
    );
    this.name = 'WizardAbortedError';
    this.step = step;
  }
  static override isInstance(error: unknown): error is WizardAbortedError {
    return kindCheck(WORKFLOW_ERROR_CODES.WIZARD_ABORTED)(error);
  }
}

/** The wizard state file exists but is not a state this package wrote. */
export class WizardStateError extends SelfhostError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(WORKFLOW_ERROR_CODES.WIZARD_STATE_UNREADABLE, message, options);
    this.name = 'WizardStateError';
  }
  static override isInstance(error: unknown): error is WizardStateError {
    return kindCheck(WORKFLOW_ERROR_CODES.WIZARD_STATE_UNREADABLE)(error);
  }
}

/** The Dokploy server is older than the wizard supports. */
export class DokployUnsupportedError extends SelfhostError {
  readonly version: string;
  constructor(version: string, minimum: string, reason: string) {
    super(
      WORKFLOW_ERROR_CODES.DOKPLOY_UNSUPPORTED,
      `Dokploy ${version} is too old for the setup wizard (it needs ${minimum}+): ${reason} Fix: upgrade Dokploy (curl -sSL https://dokploy.com/install.sh | sh -s update), then run the wizard again.`,
    );
    this.name = 'DokployUnsupportedError';
    this.version = version;
  }
  static override isInstance(error: unknown): error is DokployUnsupportedError {
    return kindCheck(WORKFLOW_ERROR_CODES.DOKPLOY_UNSUPPORTED)(error);
  }
}

/** The env the wizard would deploy has doctor errors; `codes` lists them. */
export class ReviewNotCleanError extends SelfhostError {
  readonly codes: readonly string[];
  constructor(codes: readonly string[], details: string) {
    super(
      WORKFLOW_ERROR_CODES.REVIEW_NOT_CLEAN,
      `The env to deploy has doctor errors: ${details}. Nothing was deployed. Fix: change the answers those findings name (domain, SMTP, site URL), then run the wizard again.`,
    );
    this.name = 'ReviewNotCleanError';
    this.codes = codes;
  }
  static override isInstance(error: unknown): error is ReviewNotCleanError {
    return kindCheck(WORKFLOW_ERROR_CODES.REVIEW_NOT_CLEAN)(error);
  }
}

/** Logs of one service, collected when something failed (secrets masked by Dokploy's client). */
export interface ServiceLogs {
  readonly service: string;
  readonly containerId?: string;
  /** The last lines, or undefined when they could not be read (`unavailable` says why). */
  readonly lines?: readonly string[];
  readonly unavailable?: string;
}

/** A deployment ended in `error`; `logTail` is the build log's end, `services` the failing ones. */
export class DeployFailedError extends SelfhostError {
  readonly deploymentId: string | undefined;
  readonly logTail: readonly string[];
  readonly services: readonly ServiceLogs[];
  constructor(
    message: string,
    details: {
      deploymentId?: string | undefined;
      logTail?: readonly string[];
      services?: readonly ServiceLogs[];
    },
    options?: { cause?: unknown },
  ) {
    super(WORKFLOW_ERROR_CODES.DEPLOY_FAILED, message, options);
    this.name = 'DeployFailedError';
    this.deploymentId = details.deploymentId;
    this.logTail = details.logTail ?? [];
    this.services = details.services ?? [];
  }
  static override isInstance(error: unknown): error is DeployFailedError {
    return kindCheck(WORKFLOW_ERROR_CODES.DEPLOY_FAILED)(error);
  }
}

/** The deployment was cancelled (a Dokploy restart cancels running deployments). Resumable. */
export class DeployCancelledError extends SelfhostError {
  readonly deploymentId: string | undefined;
  constructor(deploymentId: string | undefined, options?: { cause?: unknown }) {
    super(
      WORKFLOW_ERROR_CODES.DEPLOY_CANCELLED,
      `The deployment ${deploymentId ?? ''} was cancelled, most likely by a Dokploy restart (Dokploy cancels running deployments when it starts). Nothing is lost. Fix: run the wizard again with the same state file; it deploys again and waits.`,
      options,
    );
    this.name = 'DeployCancelledError';
    this.deploymentId = deploymentId;
  }
  static override isInstance(error: unknown): error is DeployCancelledError {
    return kindCheck(WORKFLOW_ERROR_CODES.DEPLOY_CANCELLED)(error);
  }
}

/** Post-deploy validation failed; `report` holds every check and the logs collected. */
export class DeploymentInvalidError extends SelfhostError {
  readonly report: unknown;
  constructor(message: string, report: unknown) {
    super(WORKFLOW_ERROR_CODES.DEPLOYMENT_INVALID, message);
    this.name = 'DeploymentInvalidError';
    this.report = report;
  }
  static override isInstance(error: unknown): error is DeploymentInvalidError {
    return kindCheck(WORKFLOW_ERROR_CODES.DEPLOYMENT_INVALID)(error);
  }
}

/** A write could not be recorded in the history store, so it was not made. */
export class HistoryWriteError extends SelfhostError {
  constructor(path: string, options?: { cause?: unknown }) {
    super(
      WORKFLOW_ERROR_CODES.HISTORY_WRITE_FAILED,
      `Could not record the change in the history directory ${path}, so nothing was written to Dokploy. Fix: make the directory writable by this user (it is created with mode 0700), then retry.`,
      options,
    );
    this.name = 'HistoryWriteError';
  }
  static override isInstance(error: unknown): error is HistoryWriteError {
    return kindCheck(WORKFLOW_ERROR_CODES.HISTORY_WRITE_FAILED)(error);
  }
}

/** The compose's env changed between planRepair and applyRepair. */
export class RepairStaleError extends SelfhostError {
  constructor(composeId: string) {
    super(
      WORKFLOW_ERROR_CODES.REPAIR_STALE,
      `The env of compose ${composeId} changed after the repair was planned, so the plan was not applied (it would overwrite that change). Fix: run planRepair again and apply the new plan.`,
    );
    this.name = 'RepairStaleError';
  }
  static override isInstance(error: unknown): error is RepairStaleError {
    return kindCheck(WORKFLOW_ERROR_CODES.REPAIR_STALE)(error);
  }
}
