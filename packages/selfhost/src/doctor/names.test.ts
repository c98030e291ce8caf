import { describe, expect, it } from 'vitest';
import { dokploySlug } from './names.js';
import { closestVariable } from './syntax.js';
import { validateEnv } from './validate-config.js';

const names = (options: Parameters<typeof validateEnv>[1]) =>
  validateEnv({}, { services: ['kong'], ...options }).findings.filter((f) =>
    /NAME|DOMAIN/.test(f.code),
  );

describe('names', () => {
  it("slugs project names like Dokploy's slugify", () => {
    expect(dokploySlug(' My  App! 2 ')).toBe('my-app-2');
    expect(dokploySlug('Café & Co')).toBe('caf-co');
    expect(dokploySlug('日本')).toBe('service');
  });

  it('reports the slug a project name becomes and the template domain it gets', () => {
    const [mangled] = names({ projectName: 'Café & Co' });
    expect(mangled?.message).toContain('"caf-co"');
    expect(mangled?.message).toContain('caf-co-supabase');
  });

  it('warns that a long name is cut in generated domains, and when old Dokploy breaks it', () => {
    const long = 'x'.repeat(45);
    const unknown = names({ appName: long });
    expect(unknown.map((f) => f.code)).toEqual(['GENERATED_DOMAIN_NAME_TRUNCATED']);
    expect(unknown[0]?.message).toContain('Before Dokploy v0.25.7');
    const old = names({ appName: long, dokployVersion: '0.25.5', serverIp: '203.0.113.77' });
    expect(old.map((f) => f.code)).toEqual(['GENERATED_DOMAIN_LABEL_TOO_LONG']);
    expect(old[0]?.message).toContain('65 characters');
    // a short IP keeps the label inside 63 characters
    expect(
      names({ appName: 'x'.repeat(45), dokployVersion: '0.25.5', serverIp: '1.2.3.4' }),
    ).toEqual([]);
  });

  it('checks the template domain name of a long project name', () => {
    const found = names({
      projectName: 'a very long project name for our shop',
      dokployVersion: 'v0.25.5',
    });
    expect(found.map((f) => f.code)).toEqual(['GENERATED_DOMAIN_LABEL_TOO_LONG']);
  });

  it('skips the names check when no name is given', () => {
    expect(validateEnv({}).skipped).toContainEqual({
      check: 'names',
      reason: 'no app or project name was given',
    });
  });

  it('suggests the known variable an unknown one is a typo of', () => {
    expect(closestVariable('JWT_EXP')).toBe('JWT_EXPIRY');
    expect(closestVariable('SMTP_HOTS')).toBe('SMTP_HOST');
    expect(closestVariable('SOMETHING_ELSE')).toBeUndefined();
  });
});
