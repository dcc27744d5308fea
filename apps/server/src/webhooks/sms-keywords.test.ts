import { describe, expect, it } from 'vitest';
import { smsReplyIntentOf } from './sms-keywords.ts';
import { spokenNames, spokenTime } from './voice-prompts.ts';

describe('smsReplyIntentOf', () => {
  it('reads the opt-out, opt-in and reply words like Twilio: whole message, any case, trailing punctuation', () => {
    const cases: [string, ReturnType<typeof smsReplyIntentOf>][] = [
      ['STOP', 'opt-out'],
      [' stop! ', 'opt-out'],
      ['Unsubscribe.', 'opt-out'],
      ['退订', 'opt-out'],
      ['退订。', 'opt-out'],
      ['td', 'opt-out'],
      ['ＳＴＯＰ', 'opt-out'],
      ['start', 'opt-in'],
      ['UNSTOP', 'opt-in'],
      ['1', 'confirm'],
      ['１', 'confirm'],
      ['2', 'decline'],
      [' 2。', 'decline'],
      ['please stop calling at night', 'other'],
      ['12', 'other'],
      ['', 'other'],
    ];
    for (const [body, intent] of cases) expect(smsReplyIntentOf(body), body).toBe(intent);
  });
});

describe('voice prompts', () => {
  it('says times in the caller’s zone and marks a zone other than the Home’s', () => {
    const start = new Date('2026-09-09T04:15:00Z');
    expect(spokenTime(start, 'Asia/Shanghai', 'Asia/Shanghai')).toBe('9月9日星期三 12:15');
    expect(spokenTime(start, 'Asia/Hong_Kong', 'Asia/Shanghai')).toBe('9月9日星期三 12:15');
    expect(spokenTime(start, 'Europe/Madrid', 'Asia/Shanghai')).toBe('9月9日星期三 06:15（您当地时间）');
  });

  it('joins children’s names', () => {
    expect(spokenNames([])).toBe('孩子');
    expect(spokenNames(['小明'])).toBe('小明');
    expect(spokenNames(['小明', '小红'])).toBe('小明和小红');
    expect(spokenNames(['小明', '小红', '小刚'])).toBe('小明、小红和小刚');
  });
});
