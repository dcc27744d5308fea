import { describe, expect, it } from 'vitest';
import { windowInZone } from './window-in-zone.ts';

describe('a contact window read in the Home zone', () => {
  const winter = new Date('2026-12-02T10:00:00Z');
  const summer = new Date('2026-07-01T10:00:00Z');

  it('puts a Madrid Monday evening on Tuesday night in Beijing, with the offset of the season', () => {
    const window = { weekday: 1, startTime: '19:00', endTime: '20:00' };
    expect(windowInZone(window, 'Europe/Madrid', 'Asia/Shanghai', winter)).toEqual({
      weekday: 2,
      startTime: '02:00',
      endTime: '03:00',
    });
    expect(windowInZone(window, 'Europe/Madrid', 'Asia/Shanghai', summer)).toEqual({
      weekday: 2,
      startTime: '01:00',
      endTime: '02:00',
    });
  });

  it('keeps a window in the same zone as it is, and a Sunday stays a Sunday', () => {
    expect(
      windowInZone({ weekday: 7, startTime: '12:00', endTime: '13:30' }, 'Asia/Shanghai', 'Asia/Shanghai', winter),
    ).toEqual({ weekday: 7, startTime: '12:00', endTime: '13:30' });
  });

  it('gives nothing for a time being typed', () => {
    expect(
      windowInZone({ weekday: 1, startTime: '19:', endTime: '20:00' }, 'Europe/Madrid', 'Asia/Shanghai', winter),
    ).toBeNull();
  });
});
