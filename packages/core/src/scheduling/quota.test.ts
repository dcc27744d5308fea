import { describe, expect, it } from 'vitest';
import { weekStartOf } from '../time/zoned-time.ts';
import { countQuotaUsage, quotaUsed } from './quota.ts';
import { booking, shanghai } from './test-fixtures.ts';

describe('countQuotaUsage', () => {
  it('counts active bookings per child per Monday-started week of the Home zone', () => {
    const bookings = [
      booking({
        childIds: ['chd_mei', 'chd_lei'],
        start: shanghai('2026-03-02T07:30'),
        end: shanghai('2026-03-02T07:45'),
      }),
      booking({
        childIds: ['chd_mei'],
        start: shanghai('2026-03-08T23:30'),
        end: shanghai('2026-03-08T23:45'),
        status: 'completed',
      }),
      booking({
        childIds: ['chd_mei'],
        start: shanghai('2026-03-04T12:00'),
        end: shanghai('2026-03-04T12:15'),
        status: 'cancelled',
      }),
      booking({
        childIds: ['chd_mei'],
        start: shanghai('2026-03-09T00:10'),
        end: shanghai('2026-03-09T00:25'),
        status: 'proposed',
      }),
    ];
    const usage = countQuotaUsage(bookings, 'Asia/Shanghai');
    expect(quotaUsed(usage, 'chd_mei', '2026-03-02')).toBe(2);
    expect(quotaUsed(usage, 'chd_lei', '2026-03-02')).toBe(1);
    expect(quotaUsed(usage, 'chd_mei', '2026-03-09')).toBe(1);
    expect(quotaUsed(usage, 'chd_nobody', '2026-03-02')).toBe(0);
  });

  it('reads weeks in the zone it is given, not in UTC', () => {
    const mondayMorningInShanghai = shanghai('2026-03-02T06:00');
    expect(mondayMorningInShanghai.getUTCDay()).toBe(0);
    expect(weekStartOf(mondayMorningInShanghai, 'Asia/Shanghai')).toBe('2026-03-02');
    expect(weekStartOf(mondayMorningInShanghai, 'UTC')).toBe('2026-02-23');
  });
});
