import { describe, expect, it } from 'vitest';
import { createDokployClient } from '../src/index.js';
import { COMPOSE_FILE, useSimulator } from './helpers.js';

describe('compose quirks the client smooths over', () => {
  const t = useSimulator({ version: '0.30.2' });
  const warnings: string[] = [];
  const client = () =>
    createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      logger: { warn: (m) => warnings.push(m) },
    });

  it('compose.update does not send appName (Dokploy ignores it) and says so', async () => {
    const c = client();
    const { project } = await c.project.create({ name: 'Quirks' });
    const compose = await c.compose.create({
      name: 'q',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    const updated = await c.compose.update({
      composeId: compose.composeId,
      appName: 'renamed',
      name: 'q2',
    });
    expect(updated.appName).toBe(compose.appName);
    expect(t.sim.requests.at(-1)?.body).toEqual({ composeId: compose.composeId, name: 'q2' });
    expect(warnings.join('\n')).toMatch(/ignores appName.*"renamed" was not sent/);
  });

  it('compose.loadServices asks for type "fetch" unless the caller chooses "cache"', async () => {
    const c = client();
    const { project } = await c.project.create({ name: 'Services' });
    const compose = await c.compose.create({
      name: 's',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    expect(await c.compose.loadServices({ composeId: compose.composeId })).toEqual(['db', 'web']);
    expect(t.sim.requests.at(-1)?.query).toEqual({ composeId: compose.composeId, type: 'fetch' });
    expect(await c.compose.loadServices({ composeId: compose.composeId, type: 'cache' })).toEqual([
      'db',
      'web',
    ]);
    expect(t.sim.requests.at(-1)?.query.type).toBe('cache');
  });
});
