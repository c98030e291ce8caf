import { describe, expect, it } from 'vitest';
import { extensionReport, SUPABASE_IMAGE_EXTENSIONS } from './extensions.js';

describe('extensionReport', () => {
  it('splits the Supabase image extensions by what is available here, in list order', () => {
    const report = extensionReport(['vector', 'plpgsql', 'some_local_only']);
    expect(report.available).toEqual(['plpgsql', 'vector']);
    expect(report.missing).toHaveLength(SUPABASE_IMAGE_EXTENSIONS.length - 2);
    expect(report.missing).toContain('pg_graphql');
    expect(report.missing).not.toContain('some_local_only');
  });
});
