import { describe, expect, it } from 'vitest';
import { definePackageConfig, globalSetupPath, testServer } from './vitest.js';

type Projects = { test: { name: string; globalSetup?: string[] } }[];

describe('the kit vitest config', () => {
  it('puts the PostgreSQL global setup on the integration project unless postgres: false', () => {
    const withPg = definePackageConfig().test?.projects as Projects;
    expect(withPg.find((p) => p.test.name === 'integration')?.test.globalSetup).toEqual([
      globalSetupPath,
    ]);
    const without = definePackageConfig({ postgres: false }).test?.projects as Projects;
    expect(without.find((p) => p.test.name === 'integration')?.test.globalSetup).toBeUndefined();
  });

  it('says how to fix a unit test that asks for the shared server', () => {
    // the unit project has no global setup, so nothing was provided
    expect(() => testServer()).toThrowError(/globalSetup/);
  });
});
