import { parseDocument } from 'yaml';
import type { FindingList } from './template-findings.js';

/** What the domain and mount checks need from one compose service. */
export interface ComposeService {
  readonly name: string;
  /** The `expose` ports, when the service lists any. */
  readonly expose?: readonly number[];
  /** Bind-mount sources under `../files/` (Dokploy's file mounts live there). */
  readonly fileSources: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `8000`, `"8000"`, `"8000/tcp"`, `"8000-8001"` → 8000 (the first port). */
function portOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : Number.parseInt(String(v), 10);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

function sourceOf(volume: unknown): string | undefined {
  if (typeof volume === 'string') return volume.split(':')[0];
  if (isRecord(volume) && typeof volume.source === 'string') return volume.source;
  return undefined;
}

/**
 * Parses the compose YAML as docker compose would (YAML 1.1 merge keys, unique keys) and returns
 * its services, or undefined (with a finding) when Dokploy could not deploy it. Also warns about
 * what Dokploy's template rules forbid: `container_name` and host `ports`.
 */
export function readComposeServices(
  text: string,
  findings: FindingList,
): ComposeService[] | undefined {
  const doc = parseDocument(text, { merge: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0]?.line;
    findings.add(
      'TEMPLATE_COMPOSE_INVALID',
      'compose',
      `is not valid YAML${line ? ` (line ${line})` : ''}: ${first?.code ?? 'parse error'}${doc.errors.length > 1 ? ` and ${doc.errors.length - 1} more` : ''}`,
      'fix the docker-compose.yml so `docker compose config` accepts it',
    );
    return undefined;
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 1000 });
  } catch {
    findings.add(
      'TEMPLATE_COMPOSE_INVALID',
      'compose',
      'uses YAML aliases that cannot be resolved (or too many of them)',
      'expand the aliases in the docker-compose.yml',
    );
    return undefined;
  }
  const services = isRecord(root) ? root.services : undefined;
  if (!isRecord(services) || Object.keys(services).length === 0) {
    findings.add(
      'TEMPLATE_COMPOSE_NO_SERVICES',
      'compose.services',
      'the compose file has no `services:` mapping with at least one service',
      'give the docker-compose.yml a top-level `services:` section',
    );
    return undefined;
  }
  const out: ComposeService[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const service = isRecord(raw) ? raw : {};
    if ('container_name' in service)
      findings.add(
        'TEMPLATE_COMPOSE_CONTAINER_NAME',
        `compose.services.${name}.container_name`,
        'a fixed container_name breaks a second deploy of the same template on the server',
        'remove container_name; Dokploy names containers <appName>-<service>-1',
      );
    if ('ports' in service)
      findings.add(
        'TEMPLATE_COMPOSE_HOST_PORTS',
        `compose.services.${name}.ports`,
        'publishes host ports: a second instance on the server fails with "port is already allocated"',
        'use `expose:` and reach the service through a Dokploy domain (Traefik)',
      );
    const expose = Array.isArray(service.expose)
      ? service.expose.map(portOf).filter((p): p is number => p !== undefined)
      : undefined;
    const volumes = Array.isArray(service.volumes) ? service.volumes : [];
    const fileSources = volumes
      .map(sourceOf)
      .filter((s): s is string => typeof s === 'string' && s.startsWith('../files/'));
    out.push({ name, ...(expose ? { expose } : {}), fileSources });
  }
  return out;
}
