import { lookup, Resolver } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { validate } from './errors.js';
import { assertTarget, redactTarget } from './render.js';
import { type ConnectionTarget, completeTarget, TRANSACTION_POOLER_PORT } from './target.js';

export interface ContainerInfo {
  inContainer: boolean;
  /** What gave it away: `/.dockerenv`, `/run/.containerenv`, a cgroup or mount path. */
  evidence: string[];
}

function readSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Detects whether this process runs in a container (Docker, Podman, containerd, Kubernetes). */
export function detectContainer(options: { root?: string } = {}): ContainerInfo {
  const { root = '/' } = validate(
    z.object({ root: z.string().min(1).optional() }).strict(),
    options,
    'detectContainer options',
  );
  const evidence: string[] = [];
  if (existsSync(join(root, '.dockerenv'))) evidence.push('/.dockerenv exists');
  if (existsSync(join(root, 'run/.containerenv'))) evidence.push('/run/.containerenv exists');
  const cgroup = readSafe(join(root, 'proc/1/cgroup'));
  const hit = /(docker|kubepods|containerd|libpod|lxc)/.exec(cgroup);
  if (hit) evidence.push(`/proc/1/cgroup mentions ${hit[1]}`);
  const mounts = readSafe(join(root, 'proc/self/mountinfo'));
  if (/\/docker\/containers\/|\/containers\/overlay|kubelet\/pods/.test(mounts)) {
    evidence.push('/proc/self/mountinfo shows container mounts');
  }
  return { inContainer: evidence.length > 0, evidence };
}

export interface NetworkAlternative {
  kind: 'published-pooler-port' | 'ssh-tunnel';
  description: string;
  /** Commands to run, in order. */
  commands: string[];
  /** The connection string to use afterwards (password redacted). */
  connection: string;
}

export interface NetworkCheck {
  host: string;
  hostKind: ConnectionTarget['hostKind'];
  inContainer: boolean;
  containerEvidence: string[];
  resolves: boolean;
  addresses: string[];
  /** Why the host did not resolve (ENOTFOUND, timeout, ...). */
  error?: string;
  /** Set when the host does not resolve from here: what to use instead. */
  alternatives: NetworkAlternative[];
  summary: string;
}

const checkSchema = z
  .object({
    sshHost: z.string().min(1).optional(),
    sshUser: z.string().min(1).optional(),
    serverHost: z.string().min(1).optional(),
    localPort: z.number().int().min(1).max(65535).optional(),
    containerName: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    lookupTimeoutMs: z.number().int().min(1).max(60_000).optional(),
    dnsServers: z.array(z.string().min(1)).min(1).optional(),
    root: z.string().min(1).optional(),
  })
  .strict();

export interface CheckNetworkOptions {
  /** The server running the compose (SSH host). */
  sshHost?: string;
  sshUser?: string;
  /** Public address of the server for the published pooler port (defaults to sshHost). */
  serverHost?: string;
  /** Local end of the tunnel (default 54322). */
  localPort?: number;
  /** Container of the database (default `<project>-db-1` placeholder). */
  containerName?: string;
  /** POOLER_TENANT_ID, for the pooler user. */
  tenant?: string;
  lookupTimeoutMs?: number;
  /** Ask these DNS servers (`ip` or `ip:port`) instead of the system resolver (getaddrinfo). */
  dnsServers?: string[];
  /** Filesystem root for container detection (tests). */
  root?: string;
}

async function resolveVia(
  host: string,
  timeoutMs: number,
  servers: string[],
): Promise<{ addresses: string[]; error?: string }> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers(servers);
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [v4, v6].flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (addresses.length) return { addresses };
  const reason = (v4.status === 'rejected' ? v4.reason : undefined) as NodeJS.ErrnoException;
  return { addresses: [], error: reason?.code ?? 'ENODATA' };
}

async function resolve(
  host: string,
  timeoutMs: number,
  servers?: string[],
): Promise<{ addresses: string[]; error?: string }> {
  if (servers) return resolveVia(host, timeoutMs, servers);
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      lookup(host, { all: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })),
          timeoutMs,
        );
      }),
    ]);
    return { addresses: result.map((a) => a.address) };
  } catch (error) {
    return {
      addresses: [],
      error: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The same target reached through a local tunnel end (127.0.0.1:localPort). */
export function tunnelTarget(target: ConnectionTarget, localPort = 54322): ConnectionTarget {
  const t = assertTarget(target);
  return completeTarget(
    { ...t, host: '127.0.0.1', port: localPort, params: withoutHostaddr(t.params), notes: [] },
    { mode: t.mode },
  );
}

/** A new host replaces where to connect, so a hostaddr (which libpq would prefer) must go. */
function withoutHostaddr(params: Record<string, string>): Record<string, string> {
  const { hostaddr: _dropped, ...rest } = params;
  return rest;
}

/**
 * Checks whether the target's host resolves from here (and whether we run in a container).
 * When a Docker-internal host (db, supabase-db, supavisor) does not resolve, returns what to
 * use instead: the published pooler port, or an SSH tunnel with the exact commands.
 */
export async function checkNetwork(
  target: ConnectionTarget,
  options: CheckNetworkOptions = {},
): Promise<NetworkCheck> {
  const t = assertTarget(target);
  const o = validate(checkSchema, options, 'checkNetwork options');
  const container = detectContainer(o.root ? { root: o.root } : {});
  const base = {
    host: t.host,
    hostKind: t.hostKind,
    inContainer: container.inContainer,
    containerEvidence: container.evidence,
  };
  if (t.params.hostaddr) {
    // libpq connects to hostaddr without resolving anything; the host name is only for TLS
    return {
      ...base,
      resolves: true,
      addresses: [t.params.hostaddr],
      alternatives: [],
      summary: `Connects to hostaddr ${t.params.hostaddr} without a DNS lookup; ${t.host} is the name TLS verifies.`,
    };
  }
  if (t.hostKind === 'socket') {
    const ok = existsSync(join(t.host, `.s.PGSQL.${t.port}`));
    return {
      ...base,
      resolves: ok,
      addresses: ok ? [t.host] : [],
      ...(ok ? {} : { error: 'socket file not found' }),
      alternatives: [],
      summary: ok
        ? `The unix socket ${t.host}/.s.PGSQL.${t.port} exists.`
        : `No socket ${t.host}/.s.PGSQL.${t.port}: the server is not running here, or uses another directory or port.`,
    };
  }
  const { addresses, error } = await resolve(t.host, o.lookupTimeoutMs ?? 3000, o.dnsServers);
  if (addresses.length) {
    return {
      ...base,
      resolves: true,
      addresses,
      alternatives: [],
      summary: `${t.host} resolves to ${addresses.join(', ')}${container.inContainer ? ' (inside a container)' : ''}.`,
    };
  }
  const server = o.serverHost ?? o.sshHost ?? '<server>';
  const sshUser = o.sshUser ?? 'root';
  const sshHost = o.sshHost ?? '<server>';
  const localPort = o.localPort ?? 54322;
  const tenant = o.tenant ?? t.tenant ?? '<POOLER_TENANT_ID>';
  const role = t.role || 'postgres';
  const alternatives: NetworkAlternative[] = [];
  if (t.hostKind === 'docker-internal') {
    const sessionTarget = completeTarget(
      {
        ...t,
        host: server,
        port: 5432,
        user: `${role}.${tenant}`,
        params: withoutHostaddr(t.params),
        notes: [],
      },
      { mode: 'session' },
    );
    const txTarget = completeTarget(
      {
        ...t,
        host: server,
        port: TRANSACTION_POOLER_PORT,
        user: `${role}.${tenant}`,
        params: withoutHostaddr(t.params),
        notes: [],
      },
      { mode: 'transaction' },
    );
    alternatives.push({
      kind: 'published-pooler-port',
      description:
        'If supavisor publishes its ports on the server (upstream compose does; the Dokploy template only exposes them), connect to the server with the tenant user: 5432 is session mode (migrations, dumps), 6543 transaction mode.',
      commands: [],
      connection: `${redactTarget(sessionTarget)}  |  ${redactTarget(txTarget)}`,
    });
    const container = o.containerName ?? '<project>-db-1';
    const inspect = `ssh ${sshUser}@${sshHost} "docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' ${container}"`;
    const forward = `ssh -N -L 127.0.0.1:${localPort}:<container-ip>:${t.port} ${sshUser}@${sshHost}`;
    alternatives.push({
      kind: 'ssh-tunnel',
      description: `Tunnel to the database container over SSH: find its IP on the compose network (docker ps --filter name=db shows the name), then forward 127.0.0.1:${localPort} to it and keep the ssh running.`,
      commands: [inspect, forward],
      connection: redactTarget(tunnelTarget(t, localPort)),
    });
  } else {
    const forward = `ssh -N -L 127.0.0.1:${localPort}:${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port} ${sshUser}@${sshHost}`;
    alternatives.push({
      kind: 'ssh-tunnel',
      description: `Resolve the name through a machine that can (a jump host): forward 127.0.0.1:${localPort} over SSH.`,
      commands: [forward],
      connection: redactTarget(tunnelTarget(t, localPort)),
    });
  }
  const summary =
    t.hostKind === 'docker-internal'
      ? `${t.host} does not resolve here (${error}): it is a compose service name, visible only inside the stack's Docker network${container.inContainer ? ' (this container is not on that network)' : ' (we are not inside a container)'}. Use the published pooler port or an SSH tunnel.`
      : `${t.host} does not resolve (${error}). Check the name, DNS, or tunnel through a host that can resolve it.`;
  return {
    ...base,
    resolves: false,
    addresses: [],
    error: error ?? 'not found',
    alternatives,
    summary,
  };
}
