import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALIYUN_SEND_CAPS,
  type CappedSendClass,
  type CapWindow,
  describeCapWindow,
  NO_SEND_CAPS,
  nextSendTime,
  type PastSend,
  type SendCapTable,
  smsSendClassOf,
} from './sms-caps.ts';

const T0 = Date.parse('2026-12-07T08:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const MIN = 60_000;

/** Whether every window of every class holds at most its limit: checked at every send's own start. */
function exceedsAny(caps: SendCapTable, sends: readonly PastSend[]): string | null {
  for (const [sendClass, cap] of Object.entries(caps) as [
    CappedSendClass,
    NonNullable<SendCapTable[CappedSendClass]>,
  ][]) {
    const ofClass = sends.filter((s) => s.sendClass === sendClass);
    for (const w of cap.windows) {
      for (const start of ofClass) {
        const inWindow = ofClass.filter(
          (s) =>
            s.at.getTime() >= start.at.getTime() &&
            s.at.getTime() < start.at.getTime() + w.windowMs &&
            (cap.scope === 'number' || (s.template ?? null) === (start.template ?? null)),
        );
        if (inWindow.length > w.limit) return `${sendClass} ${describeCapWindow(w)}: ${inWindow.length}`;
      }
    }
  }
  return null;
}

/** Small caps so that a few dozen sends meet every window. */
const SMALL_CAPS: SendCapTable = {
  'sms-verification-code': {
    scope: 'number',
    windows: [
      { windowMs: 10, limit: 1 },
      { windowMs: 60, limit: 3 },
      { windowMs: 240, limit: 5 },
    ],
  },
  'sms-notification': { scope: 'number-and-template', windows: [{ windowMs: 100, limit: 2 }] },
};

const classArb = fc.constantFrom<CappedSendClass>('sms-verification-code', 'sms-notification', 'voice-notification');
const templateArb = fc.constantFrom('booking-confirmed', 'reminder-15-min', 'one-time-code');
const requestArb = fc.record({ offset: fc.integer({ min: 0, max: 400 }), sendClass: classArb, template: templateArb });

describe('nextSendTime', () => {
  it('lets a verification code go a minute after the last, the sixth an hour after the first, the eleventh a day after', () => {
    const codes: PastSend[] = [];
    let wanted = T0;
    for (let i = 0; i < 11; i++) {
      const verdict = nextSendTime(ALIYUN_SEND_CAPS, codes, {
        sendClass: 'sms-verification-code',
        notBefore: new Date(wanted),
      });
      codes.push({ at: verdict.at, sendClass: 'sms-verification-code' });
      wanted = verdict.at.getTime();
    }
    expect(codes.map((c) => (c.at.getTime() - T0) / MIN)).toEqual([0, 1, 2, 3, 4, 60, 61, 62, 63, 64, 1440]);
  });

  it('names the window that held a send back, and none when it goes when wanted', () => {
    const history: PastSend[] = [{ at: at(0), sendClass: 'voice-notification' }];
    expect(nextSendTime(ALIYUN_SEND_CAPS, history, { sendClass: 'voice-notification', notBefore: at(0) })).toEqual({
      at: at(MIN),
      limitedBy: { windowMs: MIN, limit: 1 },
    });
    expect(
      nextSendTime(ALIYUN_SEND_CAPS, history, { sendClass: 'voice-notification', notBefore: at(2 * MIN) }),
    ).toEqual({
      at: at(2 * MIN),
      limitedBy: null,
    });
  });

  it('counts notifications per template: 50 reminders a day leave room for a confirmation', () => {
    const reminders: PastSend[] = Array.from({ length: 50 }, (_, i) => ({
      at: at(i * MIN),
      sendClass: 'sms-notification' as const,
      template: 'reminder-15-min',
    }));
    const query = { sendClass: 'sms-notification' as const, notBefore: at(50 * MIN) };
    expect(nextSendTime(ALIYUN_SEND_CAPS, reminders, { ...query, template: 'reminder-15-min' }).at).toEqual(
      at(24 * 60 * MIN),
    );
    expect(nextSendTime(ALIYUN_SEND_CAPS, reminders, { ...query, template: 'booking-confirmed' }).at).toEqual(
      at(50 * MIN),
    );
  });

  it('respects sends planned later: a send is not squeezed in before a planned one', () => {
    const planned: PastSend[] = [{ at: at(30_000), sendClass: 'sms-verification-code' }];
    // At 0 it would sit 30 s before the planned code: the minute window holds only one.
    const verdict = nextSendTime(ALIYUN_SEND_CAPS, planned, { sendClass: 'sms-verification-code', notBefore: at(0) });
    expect(verdict.at).toEqual(at(90_000));
  });

  it('has no limit for Twilio and the outbox', () => {
    const history = Array.from({ length: 20 }, () => ({ at: at(0), sendClass: 'sms-verification-code' as const }));
    expect(nextSendTime(NO_SEND_CAPS, history, { sendClass: 'sms-verification-code', notBefore: at(0) }).at).toEqual(
      at(0),
    );
  });

  it('classes the sign-in code as a verification code and every other kind as a notification', () => {
    expect(smsSendClassOf('one-time-code')).toBe('sms-verification-code');
    expect(smsSendClassOf('reminder-15-min')).toBe('sms-notification');
  });

  it('never exceeds a cap over any window, whatever order the sends are asked for in (property)', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { maxLength: 40 }), (requests) => {
        const placed: PastSend[] = [];
        for (const r of requests) {
          const verdict = nextSendTime(SMALL_CAPS, placed, {
            sendClass: r.sendClass,
            template: r.template,
            notBefore: at(r.offset),
          });
          expect(verdict.at.getTime()).toBeGreaterThanOrEqual(T0 + r.offset);
          placed.push({ at: verdict.at, sendClass: r.sendClass, template: r.template });
        }
        expect(exceedsAny(SMALL_CAPS, placed)).toBeNull();
      }),
    );
  });

  it('gives the earliest instant: no whole millisecond before it would do (property)', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { maxLength: 25 }), requestArb, (requests, last) => {
        const placed: PastSend[] = [];
        for (const r of requests) {
          const v = nextSendTime(SMALL_CAPS, placed, {
            sendClass: r.sendClass,
            template: r.template,
            notBefore: at(r.offset),
          });
          placed.push({ at: v.at, sendClass: r.sendClass, template: r.template });
        }
        const query = { sendClass: last.sendClass, template: last.template, notBefore: at(last.offset) };
        const verdict = nextSendTime(SMALL_CAPS, placed, query);
        const extra = (ms: number): PastSend => ({ at: at(ms), sendClass: last.sendClass, template: last.template });
        expect(exceedsAny(SMALL_CAPS, [...placed, extra(verdict.at.getTime() - T0)])).toBeNull();
        for (let ms = last.offset; ms < verdict.at.getTime() - T0; ms++) {
          expect(exceedsAny(SMALL_CAPS, [...placed, extra(ms)])).not.toBeNull();
        }
        expect(verdict.limitedBy === null).toBe(verdict.at.getTime() === T0 + last.offset);
      }),
      { numRuns: 60 },
    );
  });

  it('describes a window in words', () => {
    const w = (windowMs: number, limit: number): CapWindow => ({ windowMs, limit });
    expect(describeCapWindow(w(MIN, 1))).toBe('1 a minute');
    expect(describeCapWindow(w(60 * MIN, 5))).toBe('5 an hour');
    expect(describeCapWindow(w(24 * 60 * MIN, 50))).toBe('50 a day');
  });
});
