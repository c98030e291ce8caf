import { describe, expect, it } from 'vitest';
import * as root from '../index.js';
import * as env from './index.js';

describe('@supaops/selfhost/env', () => {
  it('exports the env contract and its errors, the same objects as the package root', () => {
    const names = Object.keys(env);
    expect(names).toEqual(
      expect.arrayContaining(['parseEnv', 'serializeEnv', 'editEnv', 'diffEnv', 'ENV_VARIABLES']),
    );
    expect(names).toContain('EnvCiphertextError');
    const rootExports: Record<string, unknown> = { ...root };
    const envExports: Record<string, unknown> = { ...env };
    for (const name of names) expect(rootExports[name], name).toBe(envExports[name]);
  });

  it('works on its own: parse, edit and serialize keep untouched lines', () => {
    const text = '# keep\nA=1\nB="two words"\n';
    const edited = env.setEnvValues(text, { A: '2' });
    expect(edited).toBe('# keep\nA=2\nB="two words"\n');
    expect(env.toEnvRecord(env.parseEnv(edited))).toEqual({ A: '2', B: 'two words' });
  });
});
