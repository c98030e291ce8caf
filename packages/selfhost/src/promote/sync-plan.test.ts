import type { MigrationStatus, StatusEntry } from '@supaops/migrator';
import { describe, expect, it } from 'vitest';
import { entryChecksum, historyDifferences, historyOf, planSync } from './sync-plan.js';

const sha = (c: string) => c.repeat(64);

function entry(version: string, over: Partial<StatusEntry> = {}): StatusEntry {
  return {
    version,
    name: `m${version}`,
    file: `${version}_m${version}.sql`,
    local: true,
    remote: true,
    state: 'applied',
    drift: 'none',
    driftBasis: 'sha256',
    localSha256: sha('a'),
    appliedSha256: sha('a'),
    appliedAt: null,
    appliedBy: null,
    durationMs: null,
    repairedAt: null,
    hasDownFile: false,
    noTransaction: false,
    ...over,
  };
}

const status = (entries: StatusEntry[]) => ({ entries }) as unknown as MigrationStatus;
const pending = (v: string) =>
  entry(v, { remote: false, state: 'pending', appliedSha256: null, driftBasis: null });

describe('planSync', () => {
  it('applies what the target lacks, keeps what both have, skips what the source never applied', () => {
    const plan = planSync(
      status([entry('1'), entry('2'), entry('3'), pending('4')]),
      status([entry('1'), pending('2'), pending('3'), pending('4')]),
    );
    expect(plan.toApply.map((m) => m.version)).toEqual(['2', '3']);
    expect(plan.alreadyPresent.map((m) => m.version)).toEqual(['1']);
    expect(plan.skipped.map((m) => [m.version, m.reason])).toEqual([
      ['4', 'in the migrations directory but not applied on the source: not promoted'],
    ]);
    expect(plan.divergence).toEqual([]);
  });

  it('names every kind of divergence', () => {
    const plan = planSync(
      status([
        entry('1', { local: false, file: null, state: 'missing-locally', drift: 'unknown' }),
        entry('2', { name: 'alpha' }),
        entry('3', { appliedSha256: sha('b') }),
        entry('4', { drift: 'changed', localSha256: sha('c') }),
        pending('5'),
      ]),
      status([entry('2', { name: 'beta' }), entry('3', { appliedSha256: sha('d') }), entry('5')]),
    );
    expect(plan.divergence.map((d) => `${d.version}:${d.kind}`)).toEqual([
      '5:target-only',
      '1:source-file-missing',
      '2:name-mismatch',
      '3:checksum-mismatch',
      '4:source-file-changed',
    ]);
    expect(plan.toApply).toEqual([]);
  });

  it('compares CLI-applied rows (no checksum of ours) by their drift against the same file', () => {
    const cli = (drift: StatusEntry['drift']) =>
      entry('1', { appliedSha256: null, driftBasis: 'statements', drift });
    expect(entryChecksum(cli('none'))).toBe(sha('a'));
    expect(entryChecksum(cli('changed'))).toBe(null);
    expect(planSync(status([cli('none')]), status([cli('none')])).alreadyPresent).toHaveLength(1);
    expect(planSync(status([entry('1')]), status([cli('changed')])).divergence[0]?.kind).toBe(
      'checksum-mismatch',
    );
    // both rows differ from the file and carry no checksum: nothing tells them apart, so the
    // version counts as present (there is nothing to apply for it either way)
    const both = planSync(status([cli('changed')]), status([cli('changed')]));
    expect(both.divergence).toEqual([]);
    expect(both.alreadyPresent.map((m) => [m.version, m.sha256])).toEqual([['1', null]]);
  });

  it('tells where two histories still differ', () => {
    expect(historyDifferences(status([entry('1'), entry('2')]), status([entry('1')]))).toEqual([
      '2',
    ]);
    expect(
      historyDifferences(status([entry('1')]), status([entry('1', { appliedSha256: sha('e') })])),
    ).toEqual(['1']);
    expect(historyDifferences(status([entry('1')]), status([entry('1')]))).toEqual([]);
    expect(historyOf(status([entry('1'), pending('2')]))).toEqual([
      { version: '1', name: 'm1', file: '1_m1.sql', sha256: sha('a') },
    ]);
  });
});
