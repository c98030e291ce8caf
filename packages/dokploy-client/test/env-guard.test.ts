import { describe, expect, it } from 'vitest';
import { createDokployClient, DokployEnvError, diagnoseEnv } from '../src/index.js';
import { COMPOSE_FILE, useSimulator } from './helpers.js';

/** Fidelity audit §3 / §4.7: from v0.29.12 a changed BETTER_AUTH_SECRET makes env read back as ciphertext. */
describe('the env ciphertext guard (Dokploy v0.29.12+)', () => {
  const t = useSimulator({ version: '0.29.12' });
  const warnings: string[] = [];

  it('compose.one warns once, diagnoseEnv flags it, and no write-back reaches Dokploy', async () => {
    const c = createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      logger: { warn: (m) => warnings.push(m) },
    });
    const { project } = await c.project.create({ name: 'Cipher' });
    const compose = await c.compose.create({
      name: 'c',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    await c.compose.update({
      composeId: compose.composeId,
      env: 'POSTGRES_PASSWORD=before-rotation\nA=1',
    });
    t.sim.changeAuthSecret();
    const detail = await c.compose.one({ composeId: compose.composeId });
    await c.compose.one({ composeId: compose.composeId });
    expect(diagnoseEnv(detail.env)).toMatchObject({ readable: false, looksEncrypted: true });
    expect(warnings.filter((w) => /does not parse as KEY=VALUE/.test(w))).toHaveLength(1);
    expect(warnings[0]).toMatch(/BETTER_AUTH_SECRET/);

    const before = t.sim.requests.length;
    const appended = `${detail.env}\nNEW=1`;
    for (const write of [
      () => c.compose.update({ composeId: compose.composeId, env: appended }),
      () => c.compose.saveEnvironment({ composeId: compose.composeId, env: detail.env ?? '' }),
    ]) {
      const err = await write().catch((e: unknown) => e);
      expect(DokployEnvError.isInstance(err)).toBe(true);
      expect(err).toMatchObject({ composeId: compose.composeId, looksEncrypted: true });
      expect((err as Error).message).toMatch(/Nothing was sent/);
    }
    expect(t.sim.requests.length).toBe(before);

    // a complete new env is fine, and the caller can insist
    await c.compose.update({ composeId: compose.composeId, env: 'A=2' });
    expect((await c.compose.one({ composeId: compose.composeId })).env).toBe('A=2');
    await c.compose.saveEnvironment(
      { composeId: compose.composeId, env: 'LITERAL LINE' },
      { allowUnreadableEnv: true },
    );
    expect(t.sim.state.composes.get(compose.composeId)?.env).toBe('LITERAL LINE');
  });
});
