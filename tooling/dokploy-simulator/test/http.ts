import type { DokploySimulator } from '../src/index.js';

export interface Answer {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON; `undefined` for an empty body. */
  body: unknown;
  text: string;
}

/** One REST call the way Dokploy's OpenAPI handler expects it (GET query / POST JSON). */
export async function call(
  sim: DokploySimulator,
  method: 'GET' | 'POST',
  procedure: string,
  input: Record<string, unknown> = {},
  opts: { key?: string | null; contentType?: string; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const key = opts.key === undefined ? sim.apiKey : opts.key;
  if (key) headers['x-api-key'] = key;
  let url = `${sim.url}/api/${procedure}`;
  let body: string | undefined;
  if (method === 'GET') {
    const q = new URLSearchParams(
      Object.entries(input).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    if (q) url += `?${q}`;
  } else {
    headers['content-type'] = opts.contentType ?? 'application/json';
    body = opts.raw ?? JSON.stringify(input);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, body: parsed, text };
}

// biome-ignore lint/suspicious/noExplicitAny: the simulator's JSON answers are read loosely in tests
export type Json = any;

export async function ok(p: Promise<Answer>): Promise<Json> {
  const a = await p;
  if (a.status !== 200) throw new Error(`expected 200, got ${a.status} ${a.text}`);
  return a.body;
}

export const COMPOSE =
  'services:\n  db:\n    image: pg\n    healthcheck:\n      test: x\n  web:\n    image: nginx\n';

/** Creates a project (and its default environment where the version has one) and a raw compose. */
export async function newCompose(
  sim: DokploySimulator,
  file = COMPOSE,
  name = 'P',
): Promise<{ projectId: string; environmentId?: string; composeId: string; appName: string }> {
  const created = await ok(call(sim, 'POST', 'project.create', { name }));
  const projectId: string = created.project?.projectId ?? created.projectId;
  const environmentId: string | undefined = created.environment?.environmentId;
  const owner = environmentId ? { environmentId } : { projectId };
  const compose = await ok(
    call(sim, 'POST', 'compose.create', { name: 'c', ...owner, composeFile: file }),
  );
  await ok(
    call(sim, 'POST', 'compose.update', { composeId: compose.composeId, sourceType: 'raw' }),
  );
  return {
    projectId,
    ...(environmentId ? { environmentId } : {}),
    composeId: compose.composeId,
    appName: compose.appName,
  };
}

/** Deploys and waits (bounded) until the deployment has left `running`. */
export async function deployAndSettle(sim: DokploySimulator, composeId: string): Promise<Json> {
  await ok(call(sim, 'POST', 'compose.deploy', { composeId }));
  for (let i = 0; i < 300; i++) {
    const list = await ok(call(sim, 'GET', 'deployment.allByCompose', { composeId }));
    if (list[0] && list[0].status !== 'running') return list[0];
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('deployment did not settle');
}

export async function containersOf(sim: DokploySimulator, appName: string): Promise<Json[]> {
  return ok(
    call(sim, 'GET', 'docker.getContainersByAppNameMatch', { appName, appType: 'docker-compose' }),
  );
}
