import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openSecretStore } from '@supaops/config';
import { describe, expect, it } from 'vitest';
import { json, runCli } from './helpers/cli.js';
import { expectAbsent, useDokployInstances } from './helpers/dokploy-instance.js';
import { schemaErrors } from './helpers/schema.js';

const stacks = useDokployInstances();

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

describe('dokployServers keys through @supaops/config (Dokploy simulator 0.30.2)', () => {
  it('a store: key and a file: key relative to the config file, from another working directory', async () => {
    const { s, h, composeId } = await stacks.deploy('0.30.2');
    const storeKey = randomBytes(32).toString('base64');
    // the key file sits next to the config, the store under the config's dir: both relative
    const configDir = path.join(h.root, 'conf');
    await mkdir(path.join(configDir, 'keys'), { recursive: true });
    await writeFile(path.join(configDir, 'keys', 'dokploy.key'), `${s.sim.apiKey}\n`, {
      mode: 0o600,
    });
    const store = await openSecretStore({
      path: path.join(configDir, 'secrets.json'),
      key: storeKey,
      env: {},
    });
    await store.set('dokploy-sim', s.sim.apiKey);
    const configPath = path.join(configDir, 'supaops.config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        version: 1,
        instances: { shop: { kind: 'dokploy', dokploy: { server: 'vault', composeId } } },
        dokployServers: {
          vault: { url: s.sim.url, apiKey: 'store:dokploy-sim' },
          disk: { url: s.sim.url, apiKey: 'file:keys/dokploy.key' },
        },
        secretStore: { path: 'secrets.json' },
      }),
    );
    // the working directory holds no config and no keys/ dir: only the file's dir resolves them
    const env = { ...h.env, SUPAOPS_SECRET_KEY: storeKey };
    const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      runCli(['--config', configPath, ...args], { cwd: h.home, env: { ...env, ...extra } });

    for (const server of ['vault', 'disk']) {
      const found = await run(['instances', 'discover', '--server', server, '--json']);
      expect(found.code, found.stderr).toBe(0);
      const doc = json<Doc>(found);
      expect(schemaErrors('instances-discover', doc)).toEqual([]);
      expect(doc.servers).toEqual([server]);
      expect(doc.instances).toHaveLength(1);
      expect(doc.instances[0]).toMatchObject({ instance: server, composeId });
      expectAbsent(found, [s.sim.apiKey, storeKey]);
    }
    // both servers at once, and the instance's own server (resolveInstance) over the store key
    const both = await run(['instances', 'discover', '--json']);
    expect(both.code, both.stderr).toBe(0);
    expect(json<Doc>(both).instances).toHaveLength(2);
    const logs = await run(['logs', '--instance', 'shop', '--service', 'auth', '--json']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(json<Doc>(logs)).toMatchObject({ source: 'dokploy', composeId });
    expectAbsent(logs, [s.sim.apiKey, storeKey]);

    // without the store's key the store: server fails as a config error naming the fix
    const locked = await run(['instances', 'discover', '--server', 'vault'], {
      SUPAOPS_SECRET_KEY: '',
    });
    expect(locked.code).toBe(4);
    expect(locked.stderr).toMatch(/SUPAOPS_SECRET_KEY/);
    expectAbsent(locked, [s.sim.apiKey, storeKey]);
  });

  it('an unknown server is DOKPLOY_SERVER_NOT_FOUND (exit 4) listing the known ones', async () => {
    const h = await stacks.home({ DOKPLOY_API_KEY: 'unused-key-value' });
    await writeFile(
      path.join(h.project, 'supaops.config.json'),
      JSON.stringify({
        version: 1,
        instances: {},
        dokployServers: {
          main: { url: 'http://127.0.0.1:9', apiKey: 'env:DOKPLOY_API_KEY' },
          backup: { url: 'http://127.0.0.1:9', apiKey: 'env:DOKPLOY_API_KEY' },
        },
      }),
    );
    const run = (args: string[]) => runCli(args, { cwd: h.project, env: h.env });
    const discover = await run(['instances', 'discover', '--server', 'nope', '--json']);
    expect(discover.code).toBe(4);
    const error = json<Doc>(discover);
    expect(schemaErrors('error', error)).toEqual([]);
    expect(error.error.code).toBe('DOKPLOY_SERVER_NOT_FOUND');
    expect(error.error.message).toMatch(/"nope".*"main", "backup"/);

    const deploy = await run([
      ...['deploy', '--server', 'nope', '--project', 'shop', '--generated-domain'],
      ...['--dev-autoconfirm', '--print-secrets', '--yes'],
    ]);
    expect(deploy.code).toBe(4);
    expect(deploy.stderr).toMatch(/DOKPLOY_SERVER_NOT_FOUND/);
    expect(deploy.stderr).toMatch(/"main", "backup"/);
    expect(deploy.stderr).toMatch(/--dokploy-url URL --dokploy-key-env NAME/);
  });
});
