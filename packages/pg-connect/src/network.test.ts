import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDnsServer } from '@supaops/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNetwork, detectContainer, tunnelTarget } from './network.js';
import { parseConnectionTarget } from './parse.js';

function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgc-root-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('detectContainer', () => {
  it('sees /.dockerenv, /run/.containerenv, cgroups and mounts', () => {
    expect(detectContainer({ root: fakeRoot({ '.dockerenv': '' }) }).inContainer).toBe(true);
    expect(detectContainer({ root: fakeRoot({ 'run/.containerenv': '' }) }).evidence).toEqual([
      '/run/.containerenv exists',
    ]);
    expect(
      detectContainer({ root: fakeRoot({ 'proc/1/cgroup': '0::/kubepods/burstable/pod1' }) })
        .evidence,
    ).toEqual(['/proc/1/cgroup mentions kubepods']);
    expect(
      detectContainer({
        root: fakeRoot({
          'proc/self/mountinfo': '1 2 0:3 /var/lib/docker/containers/abc/hosts /etc/hosts',
        }),
      }).inContainer,
    ).toBe(true);
  });
  it('reports a plain host as not in a container', () => {
    expect(detectContainer({ root: fakeRoot({ 'proc/1/cgroup': '0::/init.scope' }) })).toEqual({
      inContainer: false,
      evidence: [],
    });
  });
});

describe('checkNetwork', () => {
  const root = fakeRoot({});
  // a real DNS server on loopback, so no lookup leaves the machine
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  beforeAll(async () => {
    dns = await startDnsServer({ 'db.stack.test': '127.0.0.1' });
  });
  afterAll(async () => {
    await dns.close();
  });
  it('resolves loopback', async () => {
    const r = await checkNetwork(parseConnectionTarget('postgresql://u:p@localhost:5432/d'), {
      root,
    });
    expect(r.resolves).toBe(true);
    expect(r.addresses.length).toBeGreaterThan(0);
    expect(r.alternatives).toEqual([]);
  });
  it('gives the pooler port and the exact SSH tunnel for an unresolvable compose host', async () => {
    const t = parseConnectionTarget(
      'postgresql://postgres:secretpw@supaops-no-such-db-host:5432/postgres',
    );
    const r = await checkNetwork(t, {
      root,
      sshHost: 'vps.example.com',
      sshUser: 'deploy',
      tenant: 'tenant1',
      containerName: 'supabase-db-1',
      lookupTimeoutMs: 3000,
      dnsServers: [dns.server],
    });
    expect(r.resolves).toBe(false);
    expect(r.inContainer).toBe(false);
    expect(r.summary).toMatch(/compose service name/);
    const pooler = r.alternatives.find((a) => a.kind === 'published-pooler-port');
    expect(pooler?.connection).toContain(
      'postgresql://postgres.tenant1:***@vps.example.com:5432/postgres',
    );
    expect(pooler?.connection).toContain(':6543/postgres');
    const ssh = r.alternatives.find((a) => a.kind === 'ssh-tunnel');
    expect(ssh?.commands).toEqual([
      `ssh deploy@vps.example.com "docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' supabase-db-1"`,
      'ssh -N -L 127.0.0.1:54322:<container-ip>:5432 deploy@vps.example.com',
    ]);
    expect(ssh?.connection).toBe('postgresql://postgres:***@127.0.0.1:54322/postgres');
    expect(JSON.stringify(r)).not.toContain('secretpw');
  });
  it('suggests a jump-host tunnel for an unresolvable public name', async () => {
    const r = await checkNetwork(
      parseConnectionTarget('postgresql://u:p@no-such-host.invalid:5432/d'),
      {
        root,
        lookupTimeoutMs: 3000,
        dnsServers: [dns.server],
      },
    );
    expect(r.resolves).toBe(false);
    expect(r.error).toBe('ENOTFOUND');
    expect(dns.queries).toContain('no-such-host.invalid');
    expect(r.alternatives[0]?.commands[0]).toBe(
      'ssh -N -L 127.0.0.1:54322:no-such-host.invalid:5432 root@<server>',
    );
  });
  it('resolves through the given DNS servers', async () => {
    const r = await checkNetwork(parseConnectionTarget('postgresql://u:p@db.stack.test:5432/d'), {
      root,
      dnsServers: [dns.server],
    });
    expect(r).toMatchObject({ resolves: true, addresses: ['127.0.0.1'], alternatives: [] });
    expect(r.summary).toContain('db.stack.test resolves to 127.0.0.1');
  });

  it('checks unix sockets on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgc-sock-'));
    const missing = await checkNetwork(parseConnectionTarget(`host=${dir} user=u`), { root });
    expect(missing.resolves).toBe(false);
    writeFileSync(join(dir, '.s.PGSQL.5432'), '');
    const found = await checkNetwork(parseConnectionTarget(`host=${dir} user=u`), { root });
    expect(found.resolves).toBe(true);
  });
  it('builds tunnel targets that keep the mode', () => {
    const t = tunnelTarget(
      parseConnectionTarget('postgresql://postgres.t:p@supavisor:6543/postgres'),
      6000,
    );
    expect(t).toMatchObject({ host: '127.0.0.1', port: 6000, mode: 'transaction', tenant: 't' });
  });
});
