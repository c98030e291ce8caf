import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateConfig } from './validate.js';

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has a full example that validates, cross-references included', () => {
    const block = /A full example:\s*```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = validateConfig(JSON.parse(block as string));
    expect(Object.keys(config.instances)).toEqual(['prod', 'staging', 'cloud', 'dev']);
    expect(Object.keys(config.dokployServers)).toEqual(['eu', 'us']);
  });
});
