import { describe, expect, it } from 'vitest';
import { McpOptionsError } from './errors.js';
import { parseArgv, validateRunOptions, validateServerOptions } from './options.js';

describe('parseArgv', () => {
  it('reads every flag', () => {
    expect(
      parseArgv([
        '--http',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--read-only',
        '--features',
        'database, migrations',
        '--instance',
        'prod',
        '--config',
        '/x/supaops.config.json',
        '--no-sandbox',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        transport: 'http',
        http: { port: 0, host: '127.0.0.1' },
        readOnly: true,
        features: ['database', 'migrations'],
        instance: 'prod',
        configPath: '/x/supaops.config.json',
        sandbox: false,
      },
    });
    expect(parseArgv([])).toEqual({ kind: 'run', options: {} });
    expect(parseArgv(['-h'])).toEqual({ kind: 'help' });
    expect(parseArgv(['--version'])).toEqual({ kind: 'version' });
  });

  it('accepts groups that have no tools yet', () => {
    expect(parseArgv(['--features', 'dokploy,docs'])).toMatchObject({
      options: { features: ['dokploy', 'docs'] },
    });
  });

  it('rejects unknown flags, groups and bad ports with the fix', () => {
    for (const argv of [
      ['--nope'],
      ['--features', 'database,bogus'],
      ['--port', 'x'],
      ['--features', ''],
    ]) {
      try {
        parseArgv(argv);
        expect.unreachable(argv.join(' '));
      } catch (error) {
        expect(McpOptionsError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(/Fix:/);
      }
    }
  });
});

describe('option validation', () => {
  it('validates options from code', () => {
    expect(validateServerOptions(undefined)).toEqual({});
    expect(() => validateServerOptions({ pageRows: 0 })).toThrow(/pageRows/);
    expect(() => validateRunOptions({ transport: 'ws' })).toThrow(/transport/);
    expect(validateRunOptions({ transport: 'http', http: { port: 1 } })).toMatchObject({
      http: { port: 1 },
    });
  });
});
