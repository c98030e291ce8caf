import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { ALL_FINDING_CODES, FINDING_CODES } from './finding-codes.js';
import * as api from './index.js';
import { SECRET_CONSTRAINTS } from './secrets.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Table rows of the README as trimmed cells (the formatter may pad them). */
const rows = readme
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) =>
    line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
const row = (first: string) => rows.find((cells) => cells[0] === first);

describe('README stays true', () => {
  it('has a table row with meaning and fix for every finding code', () => {
    for (const code of ALL_FINDING_CODES) {
      expect(row(`\`${code}\``), code).toEqual([
        `\`${code}\``,
        FINDING_CODES[code].severity,
        FINDING_CODES[code].meaning.replaceAll('|', '\\|'),
        FINDING_CODES[code].fix.replaceAll('|', '\\|'),
      ]);
    }
  });

  it('documents every error code, secret constraint and the suggested public API', () => {
    for (const code of Object.values(ERROR_CODES)) expect(readme).toContain(code);
    for (const [name, constraint] of Object.entries(SECRET_CONSTRAINTS)) {
      expect(row(`\`${name}\``)).toEqual([`\`${name}\``, constraint.rule]);
    }
    for (const name of [
      'generateSecrets',
      'signLegacyApiKey',
      'generateLegacyApiKeys',
      'diagnoseKeys',
      'planKeyRepair',
      'generateSigningKeys',
      'generateOpaqueApiKeys',
      'signEs256',
      'verifyWithJwks',
      'redactSecret',
      'FINDING_CODES',
      'SupabaseJwtError',
    ]) {
      expect(api).toHaveProperty(name);
      expect(readme).toContain(name);
    }
  });
});
