import { translator } from '@affection/ui';
import { describe, expect, it } from 'vitest';
import type { NextCall } from './family-api.ts';
import { durationText, nextCallText } from './next-call-text.ts';

function callAt(startLocal: Partial<NextCall['startLocal']>, childNames = ['小明']): NextCall {
  return {
    bookingId: 'bkg_0000000000000001',
    start: '2026-09-09T04:15:00Z',
    end: '2026-09-09T04:30:00Z',
    status: 'confirmed',
    childNames,
    opensAt: '2026-09-09T04:10:00Z',
    isOpen: false,
    startLocal: {
      timeZone: 'Asia/Shanghai',
      zoneName: '北京时间',
      date: '2026-09-09',
      weekday: 3,
      time: '12:15',
      endTime: '12:30',
      daysFromToday: 3,
      text: '周三 12:15（北京时间）',
      ...startLocal,
    },
  };
}

describe('the next call, in words', () => {
  const zh = translator('zh-CN');
  const en = translator('en');

  it("says the child's name, the day and the time in the contact's zone", () => {
    expect(nextCallText(callAt({}), 'zh-CN', zh, [])).toBe('小明的下一次通话：周三 12:15（北京时间）');
    expect(nextCallText(callAt({ daysFromToday: 0 }), 'zh-CN', zh, [])).toBe(
      '小明的下一次通话：今天 12:15（北京时间）',
    );
    expect(nextCallText(callAt({ daysFromToday: 1 }), 'zh-CN', zh, [])).toBe(
      '小明的下一次通话：明天 12:15（北京时间）',
    );
    expect(nextCallText(callAt({ daysFromToday: 9 }), 'zh-CN', zh, [])).toBe(
      '小明的下一次通话：9月9日 周三 12:15（北京时间）',
    );
    expect(nextCallText(callAt({}), 'en', en, [])).toBe("小明's next call: Wednesday 12:15 (Beijing time)");
  });

  it('names siblings together and reads a zone abroad by its everyday name', () => {
    const madrid = callAt({ timeZone: 'Europe/Madrid', zoneName: 'x', time: '06:15' }, ['小明', '小红']);
    expect(nextCallText(madrid, 'zh-CN', zh, [])).toBe('小明和小红的下一次通话：周三 06:15（中欧时间）');
    expect(nextCallText(madrid, 'en', en, [])).toBe(
      "小明 and 小红's next call: Wednesday 06:15 (Central European Time)",
    );
    expect(nextCallText(callAt({}, []), 'zh-CN', zh, ['小刚'])).toMatch(/^小刚的下一次通话/);
  });

  it('says how long until a call opens', () => {
    expect(durationText(90_000, zh)).toBe('2分钟');
    expect(durationText(125 * 60_000, zh)).toBe('2小时5分钟');
    expect(durationText(3 * 86_400_000, en)).toBe('3 days');
  });
});
