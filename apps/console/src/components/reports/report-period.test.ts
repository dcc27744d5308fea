import { describe, expect, it } from 'vitest';
import { dayInZone, monthCodeOf, periodOf, presetsFor, termCodeOf } from './report-period.ts';

describe('report periods: months and school terms', () => {
  it('gives a month its first and last day, February of a leap year included', () => {
    expect(periodOf('2026-11')).toEqual({ kind: 'month', code: '2026-11', from: '2026-11-01', to: '2026-11-30' });
    expect(periodOf('2028-02')).toMatchObject({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodOf('2026-13')).toBeNull();
    expect(periodOf('')).toBeNull();
  });

  it('runs the autumn term from 1 September to 31 January and the spring term from 1 February to 31 August', () => {
    expect(periodOf('2026-autumn')).toEqual({
      kind: 'term',
      code: '2026-autumn',
      from: '2026-09-01',
      to: '2027-01-31',
    });
    expect(periodOf('2027-spring')).toEqual({
      kind: 'term',
      code: '2027-spring',
      from: '2027-02-01',
      to: '2027-08-31',
    });
    expect(periodOf('2027-winter')).toBeNull();
  });

  it('finds the term of a day, January belonging to the autumn term before it', () => {
    expect(termCodeOf('2026-12-05')).toBe('2026-autumn');
    expect(termCodeOf('2027-01-31')).toBe('2026-autumn');
    expect(termCodeOf('2027-02-01')).toBe('2027-spring');
    expect(termCodeOf('2027-08-31')).toBe('2027-spring');
    expect(termCodeOf('2026-12-05', -1)).toBe('2026-spring');
    expect(termCodeOf('2027-03-01', -1)).toBe('2026-autumn');
  });

  it('steps months across the new year', () => {
    expect(monthCodeOf('2026-01-15', -1)).toBe('2025-12');
    expect(monthCodeOf('2026-12-15', 1)).toBe('2027-01');
    expect(presetsFor('2027-01-03').map((p) => p.code)).toEqual(['2027-01', '2026-12', '2026-autumn', '2026-spring']);
  });

  it("reads today in the Home's zone, not the machine's", () => {
    // 16:30 UTC on 31 December is already 1 January in Beijing.
    expect(dayInZone(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
  });
});
