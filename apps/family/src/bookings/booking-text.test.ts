import { translator } from '@affection/ui';
import { describe, expect, it } from 'vitest';
import { callTimeText, dateIn, dayLabel, weekdayOf } from './booking-text.ts';
import { nextRowFor, rowProblem, rowsOfDay } from './window-rows.ts';

const t = translator('zh-CN');

describe('booking times as the parent reads them', () => {
  it('names the day: today, tomorrow, else the date and weekday', () => {
    expect(weekdayOf('2026-12-07')).toBe(1);
    expect(weekdayOf('2026-12-06')).toBe(7);
    expect(dayLabel('2026-12-06', '2026-12-06', t)).toBe('今天 12月6日 周日');
    expect(dayLabel('2026-12-07', '2026-12-06', t)).toBe('明天 12月7日 周一');
    expect(dayLabel('2026-12-09', '2026-12-06', t)).toBe('12月9日 周三');
  });

  it("reads today's date in the parent's zone", () => {
    const at = new Date('2026-12-06T23:30:00Z');
    expect(dateIn('Asia/Shanghai', at)).toBe('2026-12-07');
    expect(dateIn('Europe/Madrid', at)).toBe('2026-12-07');
    expect(dateIn('America/New_York', at)).toBe('2026-12-06');
  });

  it("puts the school's time beside the parent's only when the zones differ", () => {
    const home = { timeZone: 'Asia/Shanghai', date: '2026-12-08', startTime: '17:40', endTime: '17:55' };
    const start = new Date('2026-12-08T09:40:00Z');
    const same = callTimeText(home, home, start, '2026-12-07', 'zh-CN', t);
    expect(same).toEqual({ main: '明天 12月8日 周二 17:40（北京时间）', homeTime: null });
    const madrid = { timeZone: 'Europe/Madrid', date: '2026-12-08', startTime: '10:40', endTime: '10:55' };
    const abroad = callTimeText(madrid, home, start, '2026-12-07', 'zh-CN', t);
    expect(abroad.main).toMatch(/^明天 12月8日 周二 10:40（.+）$/);
    expect(abroad.homeTime).toBe('学校这边是北京时间 17:40');
    // New York's evening is the next day in Beijing: the school's day is said too.
    const newYork = { timeZone: 'America/New_York', date: '2026-12-07', startTime: '20:40', endTime: '20:55' };
    const night = callTimeText(newYork, home, new Date('2026-12-08T01:40:00Z'), '2026-12-07', 'zh-CN', t);
    expect(night.homeTime).toBe('学校这边是北京时间 明天 12月8日 周二 17:40');
  });
});

describe('weekly windows being edited', () => {
  it('finds a time left empty or ending before it starts', () => {
    expect(rowProblem({ key: 1, weekday: 1, startTime: '19:00', endTime: '20:00' })).toBeNull();
    expect(rowProblem({ key: 1, weekday: 1, startTime: '21:00', endTime: '19:30' })).toBe('order');
    expect(rowProblem({ key: 1, weekday: 1, startTime: '21:00', endTime: '21:00' })).toBe('order');
    expect(rowProblem({ key: 1, weekday: 1, startTime: '', endTime: '21:00' })).toBe('missing');
  });

  it('adds a new time after the day’s last one, and keeps a day’s times in order', () => {
    const rows = [
      { key: 2, weekday: 3, startTime: '21:00', endTime: '23:00' },
      { key: 1, weekday: 3, startTime: '08:00', endTime: '12:00' },
      { key: 3, weekday: 4, startTime: '08:00', endTime: '09:00' },
    ];
    expect(rowsOfDay(rows, 3).map((r) => r.key)).toEqual([1, 2]);
    expect(nextRowFor([], 5, 9)).toEqual({ key: 9, weekday: 5, startTime: '19:00', endTime: '20:00' });
    expect(nextRowFor(rows, 4, 9)).toMatchObject({ startTime: '10:00', endTime: '11:00' });
    expect(nextRowFor(rows, 3, 9)).toMatchObject({ startTime: '22:00', endTime: '23:00' });
    expect(rowProblem(nextRowFor([{ key: 1, weekday: 2, startTime: '20:00', endTime: '23:30' }], 2, 9))).toBeNull();
  });
});
