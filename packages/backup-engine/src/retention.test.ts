import { describe, expect, it } from 'vitest';
import type { BackupSummary } from './backup-store.js';
import { planRetention } from './retention.js';

function backup(id: string, iso: string, verified = false): BackupSummary {
  return {
    id,
    createdAt: new Date(iso),
    tags: {},
    verifiedAt: verified ? new Date(iso) : undefined,
    storedSize: 1,
  };
}

describe('planRetention', () => {
  const backups = [
    backup('a', '2026-01-01T01:00:00Z'),
    backup('b', '2026-01-01T13:00:00Z'),
    backup('c', '2026-01-02T01:00:00Z'),
    backup('d', '2026-01-09T01:00:00Z'),
    backup('e', '2026-02-03T01:00:00Z'),
    backup('f', '2026-02-03T02:00:00Z'),
  ];

  it('keeps the newest backup per day, ISO week and month', () => {
    const daily = planRetention(backups, { keepDaily: 3 });
    expect(daily.kept.map((k) => k.id)).toEqual(['f', 'd', 'c']);
    const weekly = planRetention(backups, { keepWeekly: 10 });
    // 2026-01-01 (Thu) and 01-02 (Fri) share ISO week 2026-W01
    expect(weekly.kept.map((k) => k.id)).toEqual(['f', 'd', 'c']);
    const monthly = planRetention(backups, { keepMonthly: 2 });
    expect(monthly.kept.map((k) => k.id)).toEqual(['f', 'd']);
    const combined = planRetention(backups, { keepLast: 1, keepMonthly: 2 });
    expect(combined.kept.map((k) => [k.id, k.reasons])).toEqual([
      ['f', ['last', 'monthly']],
      ['d', ['monthly']],
    ]);
  });

  it('never deletes the newest verified backup and keeps everything without rules', () => {
    const withVerified = [
      ...backups.slice(0, 3),
      backup('v', '2026-01-03T00:00:00Z', true),
      ...backups.slice(3),
    ];
    const plan = planRetention(withVerified, { keepLast: 1 });
    expect(plan.protectedId).toBe('v');
    expect(plan.kept.map((k) => k.id)).toEqual(['f', 'v']);
    expect(planRetention(backups, {}).deleted).toEqual([]);
  });

  it('applies the age limit on top of the keep rules', () => {
    const plan = planRetention(backups, {
      keepLast: 1,
      olderThanMs: 10 * 86_400_000,
      now: new Date('2026-02-05T00:00:00Z'),
    });
    expect(plan.kept.map((k) => [k.id, k.reasons])).toEqual([
      ['f', ['last', 'too-young']],
      ['e', ['too-young']],
    ]);
    expect(plan.deleted.map((d) => d.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});
