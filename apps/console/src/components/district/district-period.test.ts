import { describe, expect, it } from 'vitest';
import { monthOf } from './district-period.ts';

describe('monthOf', () => {
  it('spans the whole calendar month, leap February included', () => {
    expect(monthOf(new Date(2026, 11, 6))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(monthOf(new Date(2028, 1, 10))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthOf(new Date(2027, 1, 28))).toEqual({ from: '2027-02-01', to: '2027-02-28' });
  });
});
