import { describe, expect, it } from 'vitest';
import { MigratorValidationError } from './errors.js';
import { type LocalMigration, sha256 } from './files.js';
import type { RemoteHistory } from './history.js';
import { splitStatementsWithOffsets } from './split-statements.js';
import { computeStatus, formatStatusTable, type MigrationStatus } from './status.js';

const local = (version: string, name: string, sql: string): LocalMigration => ({
  version,
  name,
  file: `${version}_${name}.sql`,
  path: `/m/${version}_${name}.sql`,
  sql,
  sha256: sha256(sql),
  statements: splitStatementsWithOffsets(sql),
  noTransaction: false,
});

const meta = (sha: string) => ({
  sha256: sha,
  appliedAt: '2024-01-01T00:00:00.000Z',
  appliedBy: 'postgres',
  durationMs: 3,
  downSha256: null,
  repairedAt: null,
  noTransaction: false,
});

describe('computeStatus', () => {
  const a = local('20240101000000', 'a', 'create table a (id int);\n');
  const b = local('20240102000000', 'b', 'create table b (id int);\n');
  const c = local('20240103000000', 'c', 'create table c (id int);\n');

  it('classifies pending, applied, out-of-order, missing-locally and drift', () => {
    const history: RemoteHistory = {
      exists: true,
      metaExists: true,
      rows: [
        {
          version: b.version,
          name: 'b',
          statements: ['create table b (id int)'],
          meta: meta('0'.repeat(64)),
        },
        { version: '20240104000000', name: 'gone', statements: ['select 1'] },
        {
          version: c.version,
          name: 'c',
          statements: ['create table c (id int)'],
          meta: meta(c.sha256),
        },
      ],
    };
    const st = computeStatus(
      '/m',
      {
        migrations: [a, b, c],
        skipped: ['x.txt'],
        orphanDownFiles: [],
        cliVisibleDownFiles: [],
        exists: true,
      },
      history,
    );
    expect(st.entries.map((e) => [e.version, e.state, e.drift])).toEqual([
      ['20240101000000', 'out-of-order', 'none'],
      // sha differs but statements are byte-identical: not drift
      ['20240102000000', 'applied', 'none'],
      ['20240103000000', 'applied', 'none'],
      ['20240104000000', 'missing-locally', 'unknown'],
    ]);
    expect(st.summary).toEqual({
      local: 3,
      applied: 3,
      pending: 0,
      missingLocally: 1,
      outOfOrder: 1,
      drifted: 0,
    });

    const edited = local(b.version, 'b', 'create table b (id bigint);\n');
    const st2 = computeStatus(
      '/m',
      {
        migrations: [edited],
        skipped: [],
        orphanDownFiles: [],
        cliVisibleDownFiles: [],
        exists: true,
      },
      history,
    );
    expect(st2.drifted).toEqual([b.version]);
  });

  it('compares CLI-applied rows by statements (white space normalized) and knows when it cannot', () => {
    const history: RemoteHistory = {
      exists: true,
      metaExists: false,
      rows: [
        { version: a.version, name: 'a', statements: ['create  table a\n(id int)'] },
        { version: b.version, name: 'b', statements: null },
        { version: c.version, name: 'c', statements: ['create table c (id text)'] },
      ],
    };
    const st = computeStatus(
      '/m',
      {
        migrations: [a, b, c],
        skipped: [],
        orphanDownFiles: [],
        cliVisibleDownFiles: [],
        exists: true,
      },
      history,
    );
    expect(st.entries.map((e) => [e.drift, e.driftBasis])).toEqual([
      ['none', 'statements'],
      ['unknown', null],
      ['changed', 'statements'],
    ]);
  });

  it('decides pending and out-of-order by file-name order, as the CLI does', () => {
    const x = local('20240130', 'x', 'select 1;\n');
    const late = local('20240120000000', 'late', 'select 2;\n');
    const scan = {
      migrations: [a, late, x, b],
      skipped: [],
      orphanDownFiles: [],
      cliVisibleDownFiles: [],
      exists: true,
    };
    const row = (m: LocalMigration) => ({ version: m.version, name: m.name, statements: [] });
    // the CLI applied a only: x (`20240130_x.sql` lists after a) is pending, not out of order
    const first = computeStatus('/m', scan, { exists: true, metaExists: false, rows: [row(a)] });
    expect(first.entries.map((e) => [e.version, e.state])).toEqual([
      ['20240101000000', 'applied'],
      ['20240102000000', 'pending'],
      ['20240120000000', 'pending'],
      ['20240130', 'pending'],
    ]);
    // the CLI applied a and x: late lists before x, so it is out of order (numerically it is not)
    const second = computeStatus('/m', scan, {
      exists: true,
      metaExists: false,
      rows: [row(x), row(a)],
    });
    expect(second.outOfOrder).toEqual(['20240102000000', '20240120000000']);
    expect(second.pending).toEqual([]);
  });

  it('formats a human table and validates its input', () => {
    const st = computeStatus(
      '/m',
      {
        migrations: [a],
        skipped: ['notes.md'],
        orphanDownFiles: [],
        cliVisibleDownFiles: ['20240101000000_a.down.sql'],
        exists: true,
      },
      {
        exists: true,
        metaExists: true,
        rows: [{ version: b.version, name: 'b', statements: [], meta: meta('x') }],
      },
    );
    const table = formatStatusTable(st);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^LOCAL\s+\| REMOTE\s+\| APPLIED AT \(UTC\)\s+\| STATE\s+\| DRIFT \| NAME$/,
    );
    expect(table).toContain('20240101000000 |                | ');
    expect(table).toContain('2024-01-01 00:00:00');
    expect(table).toContain('missing-locally');
    expect(table).toContain('skipped (not migrations): notes.md');
    expect(table).toContain('the Supabase CLI would run them as migrations');
    expect(() => formatStatusTable({} as MigrationStatus)).toThrow(MigratorValidationError);
  });
});
