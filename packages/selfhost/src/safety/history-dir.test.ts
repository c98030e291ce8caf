import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SelfhostValidationError } from '../errors.js';
import { historyDir, wizardStatePath } from './history.js';

describe('historyDir', () => {
  it('is one directory per Dokploy server under the state dir, with a safe segment', () => {
    expect(historyDir('/s', 'prod')).toBe(join('/s', 'history', 'prod'));
    expect(historyDir('/s', 'https://Dokploy.Example.com:3000/')).toBe(
      join('/s', 'history', 'dokploy.example.com-3000'),
    );
    expect(historyDir('/s', '../../etc')).toBe(join('/s', 'history', 'etc'));
    expect(historyDir('/s', '...')).toBe(join('/s', 'history', 'default'));
  });

  it('refuses empty input with the typed validation error', () => {
    expect(() => historyDir('', 'prod')).toThrow(SelfhostValidationError);
    expect(() => historyDir('/s', '')).toThrow(SelfhostValidationError);
  });

  it('wizardStatePath: one file per server and project under <state>/wizard, safe segments', () => {
    expect(wizardStatePath('/s', 'prod', 'Shop')).toBe(join('/s', 'wizard', 'prod', 'shop.json'));
    expect(wizardStatePath('/s', 'https://d.example.com', '../x y')).toBe(
      join('/s', 'wizard', 'd.example.com', 'x-y.json'),
    );
    expect(() => wizardStatePath('/s', 'prod', '')).toThrow(SelfhostValidationError);
  });
});
