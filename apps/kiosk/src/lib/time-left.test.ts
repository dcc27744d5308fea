import { describe, expect, it } from 'vitest';
import { fractionLeft, initialsOf, isCallOpen, minutesUntil } from './time-left.ts';

const start = '2031-03-04T04:00:00.000Z';
const end = '2031-03-04T04:15:00.000Z';
const at = (iso: string) => new Date(iso).getTime();

describe('the kiosk clock arithmetic', () => {
  it('counts whole minutes up, and never below zero', () => {
    expect(minutesUntil(start, at('2031-03-04T03:57:50Z'))).toBe(3);
    expect(minutesUntil(start, at('2031-03-04T03:59:00Z'))).toBe(1);
    expect(minutesUntil(start, at('2031-03-04T04:01:00Z'))).toBe(0);
  });

  it('shows a full ring before the start and an empty one at the end', () => {
    expect(fractionLeft(start, end, at('2031-03-04T03:58:00Z'))).toBe(1);
    expect(fractionLeft(start, end, at('2031-03-04T04:05:00Z'))).toBeCloseTo(2 / 3);
    expect(fractionLeft(start, end, at('2031-03-04T04:20:00Z'))).toBe(0);
  });

  it('opens a call 5 minutes before its start until its end', () => {
    expect(isCallOpen(start, end, at('2031-03-04T03:54:59Z'))).toBe(false);
    expect(isCallOpen(start, end, at('2031-03-04T03:55:00Z'))).toBe(true);
    expect(isCallOpen(start, end, at('2031-03-04T04:15:00Z'))).toBe(true);
    expect(isCallOpen(start, end, at('2031-03-04T04:15:01Z'))).toBe(false);
  });

  it('puts a Chinese given name whole on the avatar, else its first letter', () => {
    expect(initialsOf('小明')).toBe('小明');
    expect(initialsOf('欣')).toBe('欣');
    expect(initialsOf('emma')).toBe('E');
  });
});
