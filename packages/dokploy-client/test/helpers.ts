import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type DokploySimulator,
  type DokploySimulatorOptions,
  startDokploySimulator,
} from '@supaops/dokploy-simulator';
import { afterAll, beforeAll } from 'vitest';
import {
  createDokployClient,
  type DokployClient,
  type DokployClientOptions,
} from '../src/index.js';

export const VERSIONS = ['0.24.4', '0.25.5', '0.25.6', '0.29.0', '0.29.5', '0.30.2'] as const;

export const COMPOSE_FILE = `services:
  db:
    image: postgres:17
    healthcheck:
      test: ["CMD", "pg_isready"]
  web:
    image: nginx:1
    depends_on:
      - db
`;

/** Starts a simulator for the file and a client pointed at it. */
export function useSimulator(
  options: DokploySimulatorOptions = {},
  clientOptions: Partial<DokployClientOptions> = {},
): { readonly sim: DokploySimulator; readonly client: DokployClient } {
  let sim: DokploySimulator | undefined;
  let client: DokployClient | undefined;
  beforeAll(async () => {
    sim = await startDokploySimulator({ deployDurationMs: 20, ...options });
    client = createDokployClient({
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      retry: { minDelayMs: 1, maxDelayMs: 5 },
      ...clientOptions,
    });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  return {
    get sim() {
      if (!sim) throw new Error('read .sim inside a test');
      return sim;
    },
    get client() {
      if (!client) throw new Error('read .client inside a test');
      return client;
    },
  };
}

export function envMap(env: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of env.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1]) map.set(m[1], m[2] ?? '');
  }
  return map;
}

export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >,
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >,
  };
}

export function verifyHs256(token: string, secret: string): boolean {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
export interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

export function loadOpenApi(): OpenApiDoc {
  return JSON.parse(
    readFileSync(new URL('./fixtures/openapi.json', import.meta.url), 'utf8'),
  ) as OpenApiDoc;
}

function propertyViolations(
  value: unknown,
  schema: JsonSchema | undefined,
  path: string,
): string[] {
  if (!schema || value === null || value === undefined) return [];
  const branches = schema.anyOf ?? [schema];
  if (Array.isArray(value)) {
    const branch = branches.find((b) => b.type === 'array' || b.anyOf);
    if (!branch) return [];
    const items = branch.anyOf ? branch.anyOf.find((b) => b.type === 'array')?.items : branch.items;
    return value.flatMap((v, i) => propertyViolations(v, items, `${path}[${i}]`));
  }
  if (typeof value === 'object') {
    const branch =
      branches.find((b) => b.properties) ??
      branches.flatMap((b) => b.anyOf ?? []).find((b) => b.properties);
    if (!branch?.properties) return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      branch.properties && k in branch.properties
        ? propertyViolations(v, branch.properties[k], `${path}.${k}`)
        : [`${path}.${k} is not a property in the document`],
    );
  }
  return [];
}

/** What the document says is wrong with one request (empty when it conforms). */
export function contractViolations(
  doc: OpenApiDoc,
  request: { method: string; procedure: string; query: Record<string, unknown>; body: unknown },
): string[] {
  const path = doc.paths[`/${request.procedure}`];
  if (!path) return [`/${request.procedure} is not a path in the document`];
  const op = path[request.method.toLowerCase()];
  if (!op)
    return [
      `/${request.procedure} has no ${request.method} (it has ${Object.keys(path).join(', ')})`,
    ];
  const out: string[] = [];
  if (request.method === 'GET') {
    const names = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
    for (const key of Object.keys(request.query)) {
      if (!names.has(key))
        out.push(`query ${key} of GET /${request.procedure} is not a parameter in the document`);
    }
  } else if (request.body !== undefined) {
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (!schema) out.push(`POST /${request.procedure} has no JSON body in the document`);
    else out.push(...propertyViolations(request.body, schema, 'body'));
  }
  return out;
}
