import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultSandboxDataDir,
  resetSandbox,
  sandboxStatus,
  startSandbox,
  stopSandbox,
} from '../src/index.js';
import { freshHome, portOpen, query } from './helpers.js';

const fresh = freshHome();
const env = fresh.env;

afterAll(() => fresh.cleanup());

describe('the sandbox lifecycle, from nothing in a fresh HOME', () => {
  let firstPid = 0;
  let port = 0;

  it('is absent before the first start, in the data dir of the XDG layout', async () => {
    const dataDir = defaultSandboxDataDir(env);
    expect(dataDir).toBe(join(fresh.home, '.local', 'share', 'supaops', 'sandbox'));
    expect(await sandboxStatus({ env })).toEqual({
      state: 'absent',
      dataDir,
      host: '127.0.0.1',
      superuser: 'supabase_admin',
    });
  });

  it('initialises on the first start: a real server on loopback, fsync on, state kept 0600', async () => {
    const sandbox = await startSandbox({ env });
    expect(sandbox.state).toBe('running');
    expect(sandbox.reused).toBe(false);
    expect(sandbox.superuser).toBe('supabase_admin');
    firstPid = sandbox.pid;
    port = sandbox.port;
    const [settings] = await query<{ fsync: string; listen: string; sockets: string }>(
      sandbox.url(),
      "SELECT current_setting('fsync') AS fsync, current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets",
    );
    expect(settings).toEqual({ fsync: 'on', listen: '127.0.0.1', sockets: '' });
    const stateFile = join(sandbox.dataDir, 'state.json');
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state).toMatchObject({ port, initialised: true, major: '15' });
    expect(state.password).toBe(sandbox.password);
    // the handle can be logged: the password is not enumerable
    expect(JSON.stringify(sandbox)).not.toContain(sandbox.password);
    expect(sandbox.url()).toContain(encodeURIComponent(sandbox.password));
    await query(sandbox.url(), 'CREATE TABLE public.kept (note text)');
    await query(sandbox.url(), "INSERT INTO public.kept VALUES ('survives')");
  });

  it('reuses the running server on the next start in the same process', async () => {
    const again = await startSandbox({ env });
    expect(again.reused).toBe(true);
    expect(again.pid).toBe(firstPid);
    expect(again.port).toBe(port);
    expect((await sandboxStatus({ env })).state).toBe('running');
  });

  it('stops on stopSandbox (twice is fine) and keeps its data over a restart', async () => {
    const stopped = await stopSandbox({ env });
    expect(stopped.state).toBe('stopped');
    expect(stopped.port).toBe(port);
    expect(await portOpen(port)).toBe(false);
    expect((await stopSandbox({ env })).state).toBe('stopped');
    const restarted = await startSandbox({ env });
    expect(restarted.reused).toBe(false);
    expect(restarted.pid).not.toBe(firstPid);
    expect(restarted.port).toBe(port);
    expect(await query(restarted.url(), 'SELECT note FROM public.kept')).toEqual([
      { note: 'survives' },
    ]);
  });

  it('deletes cluster and state on resetSandbox, and does not restart', async () => {
    const running = await sandboxStatus({ env });
    const reset = await resetSandbox({ env });
    expect(reset.state).toBe('absent');
    expect(await portOpen(port)).toBe(false);
    expect(existsSync(join(running.dataDir, 'state.json'))).toBe(false);
    expect(existsSync(join(running.clusterDir!, 'pgdata'))).toBe(false);
    expect((await sandboxStatus({ env })).state).toBe('absent');
    // a new start is a new cluster: the table is gone
    const next = await startSandbox({ env });
    expect(next.reused).toBe(false);
    expect(await query(next.url(), "SELECT to_regclass('public.kept') AS t")).toEqual([
      { t: null },
    ]);
  });
});
