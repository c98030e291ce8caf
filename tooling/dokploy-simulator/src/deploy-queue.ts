import { composeServices } from './compose-file.js';
import { upContainers } from './containers.js';
import type { SimCompose, SimDeployment, SimulatorState } from './state.js';
import { atLeast, type SimVersion } from './version.js';

/*
 * Dokploy queues compose deployments per server, one at a time (server/queues, in memory from
 * v0.29.9, BullMQ before). The deployment row is created only when the worker takes the job
 * (createDeploymentCompose), so right after compose.deploy there may be no new row yet. A failed
 * build keeps errorMessage null: the reason is only in the log, which ends with
 * "Error occurred ❌, check the logs for details.".
 */

interface Job {
  composeId: string;
  title: string;
  description: string | null;
  durationMs: number;
  fail: boolean;
}

interface Running {
  job: Job;
  deployment: SimDeployment & { logs: string[] };
  timer: NodeJS.Timeout;
  /** The build succeeded and the `onDeploy` hook is running; the job still holds the server. */
  settling?: boolean;
}

/** What a successful deploy brought up, passed to the `onDeploy` hook. */
export interface SimDeployEvent {
  composeId: string;
  appName: string;
  /** The env as written to `.env` at this deploy (plaintext). */
  env: string;
  composeFile: string;
  /** The compose's domains at this deploy. */
  domains: { host: string; https: boolean; serviceName: string | null; port: number | null }[];
}

interface ServerQueue {
  running: Running | undefined;
  waiting: Job[];
}

const now = (): string => new Date().toISOString();
const FAILED = 'Error occurred ❌, check the logs for details.';

export interface DeployQueueHooks {
  readonly version: () => SimVersion;
  /** How long a deployment queued now will run. */
  readonly durationMs: () => number;
  /** Whether the deployment queued now is to fail (consumes an injected fault). */
  readonly takeFailure: () => boolean;
  readonly newId: () => string;
  /**
   * Called after a build succeeded, before the deployment is `done`. A returned promise keeps
   * the deployment `running` (and the server busy) until it settles; a throw or rejection ends
   * the deployment in `error` with the message in its log.
   */
  readonly onDeploy?: ((event: SimDeployEvent) => void | Promise<void>) | undefined;
}

export class DeployQueue {
  readonly #state: SimulatorState;
  readonly #hooks: DeployQueueHooks;
  readonly #queues = new Map<string, ServerQueue>();
  #stopped = false;

  constructor(state: SimulatorState, hooks: DeployQueueHooks) {
    this.#state = state;
    this.#hooks = hooks;
  }

  #queueOf(serverId: string | null): ServerQueue {
    const key = serverId ?? 'local';
    let q = this.#queues.get(key);
    if (!q) {
      q = { running: undefined, waiting: [] };
      this.#queues.set(key, q);
    }
    return q;
  }

  /** Queues a deployment; it starts once the server's previous one has finished. */
  enqueue(compose: SimCompose, job: { title: string; description: string | null }): void {
    const q = this.#queueOf(compose.serverId);
    q.waiting.push({
      ...job,
      composeId: compose.composeId,
      durationMs: this.#hooks.durationMs(),
      fail: this.#hooks.takeFailure(),
    });
    // the worker picks jobs up asynchronously, never inside the compose.deploy call
    if (!q.running) setImmediate(() => this.#startNext(q));
  }

  #startNext(q: ServerQueue): void {
    if (this.#stopped || q.running) return;
    const job = q.waiting.shift();
    if (!job) return;
    const compose = this.#state.composes.get(job.composeId);
    if (!compose) {
      // the compose went away while queued: findComposeById fails and the worker moves on
      this.#startNext(q);
      return;
    }
    const deploymentId = this.#hooks.newId();
    const deployment: SimDeployment & { logs: string[] } = {
      deploymentId,
      title: job.title,
      description: job.description,
      status: 'running',
      logPath: `/etc/dokploy/logs/${compose.appName}/${compose.appName}-${deploymentId}.log`,
      pid: null,
      composeId: compose.composeId,
      serverId: compose.serverId,
      errorMessage: null,
      createdAt: now(),
      startedAt: now(),
      finishedAt: null,
      logs: [`Initializing deployment of ${compose.appName}`],
    };
    this.#state.deployments.set(deploymentId, deployment);
    compose.composeStatus = 'running';
    const timer = setTimeout(() => this.#finish(q), job.durationMs);
    timer.unref();
    q.running = { job, deployment, timer };
  }

  #finish(q: ServerQueue): void {
    const running = q.running;
    if (!running || running.settling) return;
    clearTimeout(running.timer);
    const { job, deployment } = running;
    const compose = this.#state.composes.get(job.composeId);
    const reason = compose ? this.#build(compose, job, deployment.logs) : 'Compose not found';
    const hook = this.#hooks.onDeploy;
    if (reason !== undefined || !compose || !hook) {
      this.#settle(q, running, reason);
      return;
    }
    running.settling = true;
    const event = this.#eventOf(compose);
    Promise.resolve()
      .then(() => hook(event))
      .then(
        () => this.#settle(q, running, undefined),
        (error: unknown) =>
          this.#settle(
            q,
            running,
            `Error: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
  }

  #eventOf(compose: SimCompose): SimDeployEvent {
    const domains = [...this.#state.domains.values()]
      .filter((d) => d.composeId === compose.composeId)
      .map((d) => ({ host: d.host, https: d.https, serviceName: d.serviceName, port: d.port }));
    return {
      composeId: compose.composeId,
      appName: compose.appName,
      env: compose.env ?? '',
      composeFile: compose.composeFile,
      domains,
    };
  }

  #settle(q: ServerQueue, running: Running, reason: string | undefined): void {
    // a restart or stop may have ended this job while the hook ran
    if (q.running !== running) return;
    q.running = undefined;
    const { job, deployment } = running;
    const compose = this.#state.composes.get(job.composeId);
    deployment.finishedAt = now();
    deployment.status = reason === undefined ? 'done' : 'error';
    if (reason !== undefined) deployment.logs.push(reason, '', FAILED);
    if (compose) compose.composeStatus = reason === undefined ? 'done' : 'error';
    this.#startNext(q);
  }

  /** Runs the "build"; returns the failure reason, or undefined when it deployed. */
  #build(compose: SimCompose, job: Job, logs: string[]): string | undefined {
    if (job.fail) return 'Error: Simulated deployment failure';
    if (compose.composeFile.trim() === '')
      return 'Error: the compose file is empty, nothing to deploy';
    // cloneCompose / getCreateComposeFileCommand: the file on disk is (re)written first
    this.#state.composeFilesOnDisk.set(compose.composeId, compose.composeFile);
    const services = composeServices(compose.composeFile);
    for (const d of this.#state.domains.values()) {
      if (d.composeId !== compose.composeId) continue;
      if (!d.serviceName) return `Domain "${d.host}" is missing a service name`;
      if (!services.some((s) => s.name === d.serviceName))
        return `Domain "${d.host}" is attached to service "${d.serviceName}" which does not exist in the compose`;
    }
    logs.push(
      `docker compose -p ${compose.appName} -f docker-compose.yml up -d --build --remove-orphans`,
    );
    const { blockedBy } = upContainers(this.#state, compose, services);
    if (blockedBy.length) {
      const service = blockedBy[0] ?? '';
      const healthcheck = services.find((s) => s.name === service)?.hasHealthcheck;
      return `dependency failed to start: container ${compose.appName}-${service}-1 ${
        healthcheck ? 'is unhealthy' : 'has no healthcheck configured'
      }`;
    }
    logs.push('Docker Compose Deployed: ✅');
    return undefined;
  }

  /** Ends every running and queued deployment now, in queue order. */
  completeAll(): void {
    for (const q of this.#queues.values()) {
      // bounded: each pass ends one job of the finite queue (#finish starts the next)
      for (let guard = q.waiting.length + 1; guard > 0; guard--) {
        if (!q.running) this.#startNext(q);
        if (!q.running) break;
        this.#finish(q);
      }
    }
  }

  /**
   * A Dokploy restart: running deployments become `cancelled` (utils/startup/cancel-deployments.ts);
   * waiting jobs are lost with the in-memory queue from v0.29.9, and survive in BullMQ before.
   */
  restart(): void {
    const keepWaiting = !atLeast(this.#hooks.version(), '0.29.9');
    for (const q of this.#queues.values()) {
      if (q.running) {
        clearTimeout(q.running.timer);
        q.running.deployment.status = 'cancelled';
        q.running.deployment.finishedAt = now();
        q.running = undefined;
      }
      if (!keepWaiting) q.waiting = [];
      else setImmediate(() => this.#startNext(q));
    }
  }

  /** Drops a compose's waiting jobs (compose.delete cleans its queue). */
  forget(composeId: string): void {
    for (const q of this.#queues.values())
      q.waiting = q.waiting.filter((j) => j.composeId !== composeId);
  }

  stop(): void {
    this.#stopped = true;
    for (const q of this.#queues.values()) {
      if (q.running) clearTimeout(q.running.timer);
      q.running = undefined;
      q.waiting = [];
    }
  }
}
