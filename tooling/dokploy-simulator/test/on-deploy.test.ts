import { afterEach, describe, expect, it } from 'vitest';
import { type DokploySimulator, type SimDeployEvent, startDokploySimulator } from '../src/index.js';
import { call, newCompose, ok } from './http.js';

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const statuses = async (s: DokploySimulator, composeId: string) =>
  (await ok(call(s, 'GET', 'deployment.allByCompose', { composeId }))).map(
    (d: { status: string }) => d.status,
  );
const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('the onDeploy hook', () => {
  it('gets the env, file and domains of each successful deploy; the deployment waits for it', async () => {
    const seen: SimDeployEvent[] = [];
    let release: () => void = () => {};
    sim = await startDokploySimulator({
      deployDurationMs: 1,
      onDeploy: (event) => {
        seen.push(event);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const s = sim;
    const c = await newCompose(s);
    await ok(call(s, 'POST', 'compose.update', { composeId: c.composeId, env: 'A=1\n' }));
    await ok(call(s, 'POST', 'compose.deploy', { composeId: c.composeId }));
    await until(async () => seen.length === 1);
    expect(seen[0]).toMatchObject({ composeId: c.composeId, appName: c.appName, env: 'A=1\n' });
    expect(await statuses(s, c.composeId)).toEqual(['running']);
    release();
    await until(async () => (await statuses(s, c.composeId))[0] === 'done');
    expect(await statuses(s, c.composeId)).toEqual(['done']);
  });

  it('a throwing hook fails the deployment with its message in the log', async () => {
    sim = await startDokploySimulator({
      version: '0.29.5',
      deployDurationMs: 1,
      onDeploy: () => {
        throw new Error('kong refused its config');
      },
    });
    const s = sim;
    const c = await newCompose(s);
    await ok(call(s, 'POST', 'compose.deploy', { composeId: c.composeId }));
    await until(async () => (await statuses(s, c.composeId))[0] === 'error');
    const [d] = await ok(call(s, 'GET', 'deployment.allByCompose', { composeId: c.composeId }));
    const log = await ok(call(s, 'GET', 'deployment.readLogs', { deploymentId: d.deploymentId }));
    expect(JSON.stringify(log)).toContain('kong refused its config');
  });

  it('a restart while the hook runs cancels the deployment; the late hook changes nothing', async () => {
    let release: () => void = () => {};
    let called = false;
    sim = await startDokploySimulator({
      deployDurationMs: 1,
      onDeploy: () => {
        called = true;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const s = sim;
    const c = await newCompose(s);
    await ok(call(s, 'POST', 'compose.deploy', { composeId: c.composeId }));
    await until(async () => called);
    s.restart();
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(await statuses(s, c.composeId)).toEqual(['cancelled']);
  });

  it('is optional and validated', async () => {
    await expect(
      startDokploySimulator({ onDeploy: 'no' as unknown as () => void }),
    ).rejects.toThrow(/onDeploy/);
  });
});
