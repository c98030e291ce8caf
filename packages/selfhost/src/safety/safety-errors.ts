import { ERROR_CODES, kindCheck, SelfhostError } from '../errors.js';

/** What a template check found; the shape `validateTemplate` returns in `findings`. */
export interface TemplateProblem {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** Where in the template: `config.domains[0].serviceName`, `compose.services`, … */
  readonly path?: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * A template was refused before `compose.import`: Dokploy's import deletes the compose's mounts
 * and domains first and parses afterwards, so a template it cannot process would leave the
 * compose without them. Nothing was sent to Dokploy.
 */
export class TemplateInvalidError extends SelfhostError {
  readonly findings: readonly TemplateProblem[];
  constructor(findings: readonly TemplateProblem[], options?: { cause?: unknown }) {
    const errors = findings.filter((f) => f.severity === 'error');
    const shown = errors
      .slice(0, 5)
      .map((f) => `${f.code}${f.path ? ` at ${f.path}` : ''}: ${f.message} (fix: ${f.fix})`)
      .join('; ');
    const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
    super(
      ERROR_CODES.TEMPLATE_INVALID,
      `The template was refused before compose.import, which deletes the compose's mounts and domains before it parses: ${shown}${more}. Nothing was sent to Dokploy. Fix: correct the template as each finding says, then import again (validateTemplate lists every finding).`,
      options,
    );
    this.name = 'TemplateInvalidError';
    this.findings = findings;
  }
  static override isInstance(error: unknown): error is TemplateInvalidError {
    return kindCheck(ERROR_CODES.TEMPLATE_INVALID)(error);
  }
}

/** Who holds a deploy lock file, as written in it. */
export interface DeployLockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO 8601). */
  readonly since: string;
  /** What the holder is doing (`wizard`, `repair`, `rollback`, …), when it said. */
  readonly purpose?: string;
}

const describeHolder = (h: DeployLockHolder | undefined) =>
  h
    ? `process ${h.pid} on ${h.host}${h.purpose ? ` (${h.purpose})` : ''}, holding it since ${h.since}`
    : 'a process that left no readable holder record';

/** Another deploy to the same Dokploy server kept the lock for the whole wait. */
export class DeployLockTimeoutError extends SelfhostError {
  readonly key: string;
  readonly lockFile: string;
  readonly holder: DeployLockHolder | undefined;
  constructor(
    key: string,
    lockFile: string,
    waitedMs: number,
    holder: DeployLockHolder | undefined,
  ) {
    super(
      ERROR_CODES.DEPLOY_LOCK_TIMEOUT,
      `Another deploy to the same Dokploy server (${key}) held the deploy lock for the whole ${Math.round(waitedMs / 1000)} s wait: ${describeHolder(holder)}. Nothing was deployed. Fix: wait for that deploy to finish and retry; if that process is gone for good (another machine that crashed), delete ${lockFile}.`,
    );
    this.name = 'DeployLockTimeoutError';
    this.key = key;
    this.lockFile = lockFile;
    this.holder = holder;
  }
  static override isInstance(error: unknown): error is DeployLockTimeoutError {
    return kindCheck(ERROR_CODES.DEPLOY_LOCK_TIMEOUT)(error);
  }
}

/** The lock directory cannot hold a lock file (not creatable, not writable). */
export class DeployLockError extends SelfhostError {
  readonly lockDir: string;
  constructor(lockDir: string, options?: { cause?: unknown }) {
    const reason = (options?.cause as { code?: string } | undefined)?.code ?? 'unknown error';
    super(
      ERROR_CODES.DEPLOY_LOCK_FAILED,
      `The deploy lock file could not be created in ${lockDir} (${reason}), so deploys of other processes could not be kept apart. Nothing was deployed. Fix: make the directory writable (it is the history store's directory unless lockDir says otherwise), or pass another lockDir.`,
      options,
    );
    this.name = 'DeployLockError';
    this.lockDir = lockDir;
  }
  static override isInstance(error: unknown): error is DeployLockError {
    return kindCheck(ERROR_CODES.DEPLOY_LOCK_FAILED)(error);
  }
}
