import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileMounts } from '../src/clone/mounts.js';
import { createHistoryStore } from '../src/index.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('copyFileMounts (Dokploy simulator)', () => {
  it('creates missing file mounts, updates changed ones, skips bind and volume mounts; idempotent', async () => {
    stack = await startStack({ version: '0.30.2' });
    const { client } = stack;
    const project = await client.project.create({ name: 'm' });
    const environmentId = project.environment!.environmentId;
    const file = 'services:\n  db:\n    image: supabase/postgres:17\n';
    const source = await client.compose.create({ name: 'src', environmentId, composeFile: file });
    const clone = await client.compose.create({ name: 'dst', environmentId, composeFile: file });
    const mount = (serviceId: string, extra: Record<string, string>) =>
      client.mounts.create({
        serviceType: 'compose',
        serviceId,
        mountPath: '/',
        ...extra,
      } as never);
    await mount(source.composeId, {
      type: 'file',
      filePath: '/volumes/api/kong.yml',
      content: 'new',
    });
    await mount(source.composeId, {
      type: 'file',
      filePath: '/volumes/db/roles.sql',
      content: 'sql',
    });
    await mount(source.composeId, { type: 'bind', hostPath: '/srv/data', mountPath: '/data' });
    await mount(source.composeId, { type: 'volume', volumeName: 'db-data', mountPath: '/var/lib' });
    // the clone already has kong.yml, with other content (a half-done earlier run)
    await mount(clone.composeId, {
      type: 'file',
      filePath: '/volumes/api/kong.yml',
      content: 'old',
    });
    const mounts = (await client.compose.one({ composeId: source.composeId })).mounts ?? [];
    const history = createHistoryStore(join(stack.dir, 'history'));
    const target = { client, history, composeId: clone.composeId };

    const first = await copyFileMounts(mounts, target);
    expect(first.copied).toEqual(['/volumes/api/kong.yml', '/volumes/db/roles.sql']);
    expect(first.unchanged).toEqual([]);
    expect(first.skipped.map((s) => [s.type, s.mountPath])).toEqual([
      ['bind', '/data'],
      ['volume', '/var/lib'],
    ]);
    const files = (await client.compose.one({ composeId: clone.composeId })).mounts ?? [];
    expect(files.map((m) => `${m.type}:${m.filePath}:${m.content}`).sort()).toEqual([
      'file:/volumes/api/kong.yml:new',
      'file:/volumes/db/roles.sql:sql',
    ]);
    const records = await history.list();
    expect(records.map((r) => r.kind)).toEqual(['mount.update', 'mount.create']);
    expect(records[0]?.before).toMatchObject({ content: 'old' });

    const again = await copyFileMounts(mounts, target);
    expect(again).toMatchObject({
      copied: [],
      unchanged: ['/volumes/api/kong.yml', '/volumes/db/roles.sql'],
    });
    expect(await history.list()).toHaveLength(2);
  });
});
