import { startDokploySimulator } from '@supaops/dokploy-simulator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDokployClient, ENDPOINTS } from '../src/index.js';
import { exerciseAll } from './exercise.js';
import { contractViolations, loadOpenApi, type OpenApiDoc } from './helpers.js';

const doc = loadOpenApi();

function wireKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

describe('contract with the OpenAPI document (test/fixtures/openapi.json)', () => {
  it('is the published document with the expected size', () => {
    expect(Object.keys(doc.paths)).toHaveLength(597);
  });

  it.each(Object.values(ENDPOINTS))(
    '$method $procedure: path, method and every input field exist',
    (ep) => {
      if (ep.outsideOpenApi) {
        // /api/health is a plain Next.js route, not a tRPC procedure: the document cannot list it
        expect(doc.paths[`/${ep.procedure}`]).toBeUndefined();
        return;
      }
      const legacy = new Set(Object.keys(ep.legacyKeys ?? {}));
      const input = Object.fromEntries(
        wireKeys(ep.input)
          .filter((k) => !legacy.has(k))
          .map((k) => [k, 'x']),
      );
      expect(ep.input).toBeInstanceOf(z.ZodObject);
      const violations = contractViolations(doc, {
        method: ep.method,
        procedure: ep.procedure,
        query: ep.method === 'GET' ? input : {},
        body: ep.method === 'POST' ? input : undefined,
      });
      expect(violations).toEqual([]);
    },
  );

  it('every request sent while exercising all methods on v0.30.2 matches the document', async () => {
    const sim = await startDokploySimulator({ version: '0.30.2', deployDurationMs: 5 });
    try {
      const client = createDokployClient({ baseUrl: sim.url, apiKey: sim.apiKey });
      await exerciseAll(client, sim);
      const sent = sim.requests.filter((r) => r.procedure !== 'health');
      expect(sent.every((r) => r.status === 200)).toBe(true);
      const violations = sent.flatMap((r) => contractViolations(doc, r));
      expect(violations).toEqual([]);
      // every endpoint the client knows was really sent
      const seen = new Set(sim.requests.map((r) => `${r.method} ${r.procedure}`));
      const missing = Object.values(ENDPOINTS).filter(
        (ep) => !seen.has(`${ep.method} ${ep.procedure}`),
      );
      expect(missing.map((ep) => ep.procedure)).toEqual([]);
      // POSTs carry the JSON content type
      expect(
        sent.filter((r) => r.method === 'POST').every((r) => r.contentType === 'application/json'),
      ).toBe(true);
    } finally {
      await sim.stop();
    }
  });

  it('on v0.24.4 the only fields outside the document are the declared legacy ones', async () => {
    const sim = await startDokploySimulator({ version: '0.24.4', deployDurationMs: 5 });
    try {
      const client = createDokployClient({ baseUrl: sim.url, apiKey: sim.apiKey });
      await exerciseAll(client, sim);
      const unexpected = sim.requests
        .filter((r) => r.procedure !== 'health')
        .flatMap((r) => {
          const ep = Object.values(ENDPOINTS).find((e) => e.procedure === r.procedure);
          const legacy = Object.keys(ep?.legacyKeys ?? {});
          return contractViolations(doc, r).filter(
            (v) => !legacy.some((k) => v.startsWith(`body.${k} `)),
          );
        });
      expect(unexpected).toEqual([]);
      const legacySent = sim.requests.filter(
        (r) =>
          typeof (r.body as { projectId?: unknown })?.projectId === 'string' &&
          r.procedure.startsWith('compose.'),
      );
      expect(legacySent.map((r) => r.procedure).sort()).toEqual([
        'compose.create',
        'compose.deployTemplate',
      ]);
    } finally {
      await sim.stop();
    }
  });

  it('fails when Dokploy renames a field, drops a path or changes a method', () => {
    const renamed = structuredClone(doc) as OpenApiDoc;
    const schema =
      renamed.paths['/compose.create']?.post?.requestBody?.content?.['application/json']?.schema;
    if (!schema?.properties?.environmentId) throw new Error('fixture changed');
    schema.properties.envId = schema.properties.environmentId;
    delete schema.properties.environmentId;
    expect(
      contractViolations(renamed, {
        method: 'POST',
        procedure: 'compose.create',
        query: {},
        body: { name: 'a', environmentId: 'e' },
      }),
    ).toEqual(['body.environmentId is not a property in the document']);

    const q = structuredClone(doc) as OpenApiDoc;
    const params = q.paths['/compose.readLogs']?.get?.parameters ?? [];
    for (const p of params) if (p.name === 'tail') p.name = 'lines';
    expect(
      contractViolations(q, {
        method: 'GET',
        procedure: 'compose.readLogs',
        query: { composeId: 'c', containerId: 'x', tail: '5' },
        body: undefined,
      }),
    ).toEqual(['query tail of GET /compose.readLogs is not a parameter in the document']);

    expect(
      contractViolations(doc, {
        method: 'GET',
        procedure: 'compose.deploy',
        query: {},
        body: undefined,
      })[0],
    ).toMatch(/has no GET/);
    expect(
      contractViolations(doc, {
        method: 'GET',
        procedure: 'compose.nope',
        query: {},
        body: undefined,
      })[0],
    ).toMatch(/not a path/);
    const nested = contractViolations(doc, {
      method: 'POST',
      procedure: 'compose.update',
      query: {},
      body: {
        composeId: 'c',
        serviceNetworks: [{ serviceName: 'a', networkIds: [], detach: true }],
      },
    });
    expect(nested).toEqual(['body.serviceNetworks[0].detach is not a property in the document']);
  });
});
