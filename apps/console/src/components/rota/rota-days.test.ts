import { describe, expect, it } from 'vitest';
import { type DutyOverride, monthRange, monthWeeks, namesOnDate, type PatternEntry, shiftMonth } from './rota-days.ts';

const staff = (staffId: string, displayName: string, active = true) => ({
  staffId,
  displayName,
  role: 'teacher' as const,
  active,
});
const chen = staff('stf_chen', '陈老师');
const liu = staff('stf_liu', '刘老师');
const yang = staff('stf_yang', '杨老师');
const off = staff('stf_off', '周老师', false);

// 2026-12-07 is a Monday.
const pattern: PatternEntry[] = [
  { id: 'dty_1', weekday: 1, ...liu },
  { id: 'dty_2', weekday: 1, ...off },
  { id: 'dty_3', weekday: 2, ...chen },
];

describe('the month calendar of the duty rota', () => {
  it('draws whole weeks from Monday, with blanks before the 1st and after the last day', () => {
    const weeks = monthWeeks('2026-12');
    expect(weeks).toHaveLength(5);
    expect(weeks[0]).toEqual([
      null,
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(weeks[4]).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
    // February 2027 starts on a Monday and has four weeks exactly.
    expect(monthWeeks('2027-02')).toHaveLength(4);
    expect(monthWeeks('2027-02')[0]![0]).toBe('2027-02-01');
  });

  it('knows the first and last day of a month and moves across years', () => {
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2027-01', -1)).toBe('2026-12');
  });

  it('lists the weekly rota of the day, leaving switched-off staff out', () => {
    expect(namesOnDate('2026-12-07', pattern, [])).toEqual([
      { staffId: liu.staffId, displayName: '刘老师', added: false, removed: false, overrideId: null },
    ]);
    expect(namesOnDate('2026-12-09', pattern, [])).toEqual([]);
  });

  it('marks a swap: the one taken off crossed out, the one put on added; other days untouched', () => {
    const overrides: DutyOverride[] = [
      { id: 'dto_off', date: '2026-12-07', kind: 'remove', ...liu },
      { id: 'dto_on', date: '2026-12-07', kind: 'add', ...yang },
      { id: 'dto_x', date: '2026-12-14', kind: 'add', ...chen },
    ];
    const names = namesOnDate('2026-12-07', pattern, overrides);
    expect(names.map((n) => [n.displayName, n.added, n.removed, n.overrideId])).toEqual([
      ['刘老师', false, true, 'dto_off'],
      ['杨老师', true, false, 'dto_on'],
    ]);
    expect(namesOnDate('2026-12-08', pattern, overrides).map((n) => n.displayName)).toEqual(['陈老师']);
  });

  it('ignores a removal of someone not on the rota that day and an addition of someone already on it', () => {
    const overrides: DutyOverride[] = [
      { id: 'dto_a', date: '2026-12-07', kind: 'remove', ...chen },
      { id: 'dto_b', date: '2026-12-07', kind: 'add', ...liu },
      { id: 'dto_c', date: '2026-12-07', kind: 'add', ...off },
    ];
    expect(namesOnDate('2026-12-07', pattern, overrides)).toEqual([
      { staffId: liu.staffId, displayName: '刘老师', added: false, removed: false, overrideId: null },
    ]);
  });
});
