import { afterEach, describe, expect, it } from 'vitest';
import {
  parseEnv,
  RollbackStaleError,
  RollbackUnavailableError,
  rollback,
  toEnvRecord,
  updateCompose,
} from '../src/index.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const fast = { pollMs: 5, validateAttempts: 2, validateRetryMs: 5 } as const;

describe('rollback (Dokploy simulator + gateway simulator)', () => {
  it('wizard deploy → env change that breaks Kong → rollback restores the env byte for byte and validates', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, env: deployed, history } = await deployWithWizard(s);
    const keys = toEnvRecord(parseEnv(deployed));

    // identical keys: Kong 3.x refuses to start, validation fails
    const change = await updateCompose({
      client: s.client,
      history,
      composeId,
      env: { set: { ANON_KEY: keys.SERVICE_ROLE_KEY as string, SMTP_SENDER_NAME: 'Acme Ops' } },
      redeploy: true,
      fetch: s.fetch,
      ...fast,
    });
    expect(change).toMatchObject({ envChanged: true, effective: true, needsRedeploy: false });
    expect(change.validation?.ok).toBe(false);
    expect(change.diff?.entries.find((e) => e.key === 'ANON_KEY')?.status).toBe('changed');
    expect(JSON.stringify(change.diff)).not.toContain(keys.SERVICE_ROLE_KEY);

    // the dry run names the operator's change and writes nothing
    const deploysBefore = s.sim.requests.filter((r) => r.procedure === 'compose.deploy').length;
    const dry = await rollback({ client: s.client, history, composeId, dryRun: true });
    expect(dry).toMatchObject({
      applied: false,
      target: { kind: 'compose.env', actor: 'operator' },
    });

    const result = await rollback({
      client: s.client,
      history,
      composeId,
      fetch: s.fetch,
      ...fast,
    });
    expect(result).toMatchObject({ applied: true, effective: true, needsRedeploy: false });
    expect(result.validation?.ok).toBe(true);
    const after = await s.client.compose.one({ composeId });
    expect(after.env).toBe(deployed); // byte-identical
    expect(s.sim.requests.filter((r) => r.procedure === 'compose.deploy').length).toBe(
      deploysBefore + 1,
    );
    // the rollback is itself recorded, pointing at what it undid
    const records = await history.list();
    const own = records.find((r) => r.id === result.recordId);
    expect(own).toMatchObject({ actor: 'rollback', rollbackOf: dry.target.recordId });
    expect(own?.after).toBe(deployed);

    // the next rollback goes one step further back: the wizard's write over the template env
    const next = await rollback({ client: s.client, history, composeId, dryRun: true });
    expect(next.target.actor).toBe('wizard');
    expect(next.target.recordId).not.toBe(dry.target.recordId);
  });

  it('refuses a compose changed behind its back, unless forced; compose files too', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, env: deployed, history } = await deployWithWizard(s);
    await updateCompose({
      client: s.client,
      history,
      composeId,
      env: { set: { SMTP_SENDER_NAME: 'Acme Ops' } },
    });
    // someone edits the env in Dokploy's UI
    const edited = `${deployed}EXTRA_BY_HAND=1\n`;
    await s.client.compose.update({ composeId, env: edited });
    await expect(rollback({ client: s.client, history, composeId })).rejects.toSatisfy(
      (e) => RollbackStaleError.isInstance(e) && /force: true/.test((e as Error).message),
    );
    expect((await s.client.compose.one({ composeId })).env).toBe(edited);
    const forced = await rollback({
      client: s.client,
      history,
      composeId,
      force: true,
      redeploy: false,
    });
    expect(forced).toMatchObject({ applied: true, effective: false, needsRedeploy: true });
    expect((await s.client.compose.one({ composeId })).env).toBe(deployed);

    // a compose-file change and its rollback
    const file = (await s.client.compose.one({ composeId })).composeFile ?? '';
    const changed = await updateCompose({
      client: s.client,
      history,
      composeId,
      composeFile: `${file}\n# tuned\n`,
    });
    expect(changed).toMatchObject({ composeFileChanged: true, needsRedeploy: true });
    const back = await rollback({ client: s.client, history, composeId, redeploy: false });
    expect(back.target.kind).toBe('compose.file');
    expect((await s.client.compose.one({ composeId })).composeFile).toBe(file);
  });

  it('says when there is nothing to roll back', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { history } = await deployWithWizard(s);
    await expect(
      rollback({ client: s.client, history, composeId: 'unknown-compose' }),
    ).rejects.toSatisfy(RollbackUnavailableError.isInstance);
    const noop = await updateCompose({
      client: s.client,
      history,
      composeId: (await history.list()).find((r) => r.composeId)?.composeId as string,
      env: { set: {} },
    });
    expect(noop).toMatchObject({ envChanged: false, effective: true, needsRedeploy: false });
  });
});
