import { afterEach, describe, expect, it } from 'vitest';
import { type DokploySimulator, startDokploySimulator } from '../src/index.js';
import { call, containersOf, deployAndSettle, newCompose, ok } from './http.js';

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
async function start(version: string) {
  sim = await startDokploySimulator({ version, deployDurationMs: 1 });
  return sim;
}

describe('rows, env and permissions', () => {
  it('environment.create refuses the name "production"', async () => {
    const s = await start('0.30.2');
    const { projectId } = await newCompose(s);
    expect(
      await call(s, 'POST', 'environment.create', { name: 'production', projectId }),
    ).toMatchObject({
      status: 400,
      body: {
        code: 'BAD_REQUEST',
        message: "You cannot create a environment with the name 'production'",
      },
    });
    expect(
      (await call(s, 'POST', 'environment.create', { name: 'Production', projectId })).status,
    ).toBe(200);
    expect(await ok(call(s, 'GET', 'environment.byProjectId', { projectId: 'unknown' }))).toEqual(
      [],
    );
  });

  it('compose.update ignores appName, answers an unknown id with an empty 200, and takes createEnvFile from v0.30.0', async () => {
    const s = await start('0.29.14');
    const { composeId, appName } = await newCompose(s);
    const updated = await ok(
      call(s, 'POST', 'compose.update', { composeId, appName: 'renamed', createEnvFile: false }),
    );
    expect(updated.appName).toBe(appName);
    expect(updated.createEnvFile).toBe(true); // stripped before v0.30.0
    await ok(
      call(s, 'POST', 'compose.saveEnvironment', { composeId, env: 'A=1', createEnvFile: false }),
    );
    expect(s.state.composes.get(composeId)?.createEnvFile).toBe(true);
    expect(
      await call(s, 'POST', 'compose.update', { composeId: 'nope', env: 'A=1' }),
    ).toMatchObject({
      status: 200,
      text: '',
    });
    s.setVersion('0.30.0');
    expect(
      (await ok(call(s, 'POST', 'compose.update', { composeId, createEnvFile: false })))
        .createEnvFile,
    ).toBe(false);
    await ok(
      call(s, 'POST', 'compose.saveEnvironment', { composeId, env: 'A=1', createEnvFile: true }),
    );
    expect(s.state.composes.get(composeId)?.createEnvFile).toBe(true);
  });

  it('from v0.29.12 a BETTER_AUTH_SECRET change makes the env read back as ciphertext (fail-open)', async () => {
    const s = await start('0.29.12');
    const { composeId } = await newCompose(s);
    await ok(
      call(s, 'POST', 'compose.update', { composeId, env: 'POSTGRES_PASSWORD=secret-1\nA=1' }),
    );
    s.changeAuthSecret();
    const cipher = (await ok(call(s, 'GET', 'compose.one', { composeId }))).env as string;
    expect(cipher).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
    expect(cipher).not.toContain('secret-1');
    // written back verbatim, it stays unreadable
    await ok(call(s, 'POST', 'compose.update', { composeId, env: cipher }));
    expect((await ok(call(s, 'GET', 'compose.one', { composeId }))).env).toBe(cipher);
    // a fresh env is stored under the new secret
    await ok(call(s, 'POST', 'compose.update', { composeId, env: 'A=2' }));
    expect((await ok(call(s, 'GET', 'compose.one', { composeId }))).env).toBe('A=2');
  });

  it('a ciphertext made under the current secret is decrypted on write; nothing is encrypted before v0.29.12', async () => {
    const s = await start('0.29.12');
    const { composeId } = await newCompose(s);
    await ok(call(s, 'POST', 'compose.update', { composeId, env: 'A=1' }));
    s.changeAuthSecret();
    const cipher = (await ok(call(s, 'GET', 'compose.one', { composeId }))).env as string;
    s.state.authSecretGeneration -= 1; // the old secret is back
    expect((await ok(call(s, 'GET', 'compose.one', { composeId }))).env).toBe('A=1');
    await ok(call(s, 'POST', 'compose.saveEnvironment', { composeId, env: cipher }));
    expect(s.state.composes.get(composeId)?.env).toBe('A=1');
    s.setVersion('0.29.11');
    s.changeAuthSecret();
    expect((await ok(call(s, 'GET', 'compose.one', { composeId }))).env).toBe('A=1');
  });

  it('permission denials: better-auth messages from v0.28.7, "Permission denied" before; some routers rewrap them as 400', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    const member = s.addApiKey({ role: 'member', permissions: ['service:read'] });
    expect(
      await call(s, 'POST', 'compose.update', { composeId, env: 'A=1' }, { key: member }),
    ).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED', message: 'unauthorized to access resource "service"' },
    });
    expect(await call(s, 'POST', 'project.create', { name: 'x' }, { key: member })).toMatchObject({
      status: 400,
      body: {
        code: 'BAD_REQUEST',
        message: 'Error creating the project: You are not allowed to access resource: project',
      },
    });
    expect(
      await call(
        s,
        'POST',
        'domain.create',
        { host: 'a.example.test', composeId },
        { key: member },
      ),
    ).toMatchObject({
      status: 400,
      body: { message: 'You are not allowed to access resource: domain' },
    });
    expect((await ok(call(s, 'GET', 'user.get', {}, { key: member }))).role).toBe('member');
    const admin = s.addApiKey({ role: 'admin' });
    expect(
      (await call(s, 'POST', 'compose.update', { composeId, env: 'A=1' }, { key: admin })).status,
    ).toBe(200);
    s.setVersion('0.28.6');
    expect(
      await call(s, 'GET', 'docker.getConfig', { containerId: 'x' }, { key: member }),
    ).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED', message: 'Permission denied' },
    });
  });

  it('refuses versions without API keys', async () => {
    await expect(startDokploySimulator({ version: '0.18.9' })).rejects.toThrow(/has no API keys/);
  });

  it('compose.readLogs search is case-insensitive; loadServices on an empty compose is "Services not found"', async () => {
    const s = await start('0.30.2');
    const { composeId, appName } = await newCompose(s);
    await deployAndSettle(s, composeId);
    const [db] = (await containersOf(s, appName)).filter((c: { name: string }) =>
      c.name.endsWith('-db-1'),
    );
    expect(
      await ok(
        call(s, 'GET', 'compose.readLogs', {
          composeId,
          containerId: db.containerId,
          search: 'LISTENING',
        }),
      ),
    ).toMatch(/db \| listening/);
    const empty = await newCompose(s, '');
    expect(
      (await call(s, 'GET', 'compose.loadServices', { composeId: empty.composeId, type: 'fetch' }))
        .status,
    ).toBe(404);
  });
});
