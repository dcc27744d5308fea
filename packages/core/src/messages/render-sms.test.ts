import { describe, expect, it } from 'vitest';
import { type RenderedSms, renderSms, type SmsRenderContext } from './render-sms.ts';
import type { SmsCountryPolicies } from './sms-country-policy.ts';
import {
  SMS_LANGUAGES,
  SMS_MESSAGE_KINDS,
  type SmsLanguage,
  type SmsMessage,
  type SmsMessageKind,
  type SmsMessageOf,
} from './sms-message.ts';

// Wednesday 18 November 2026, 12:15 in Beijing; the offered slot is Thursday 17:30 in Beijing.
const START = new Date('2026-11-18T04:15:00Z');
const NEXT = new Date('2026-11-19T09:30:00Z');
const HOME_ZH = { name: '某某小学留守儿童之家', timeZone: 'Asia/Shanghai' };
const HOME_EN = { name: "Qingshan Township Primary School Children's Home", timeZone: 'Asia/Shanghai' };
const LINK = 'https://qqdh.cn/f/7Kp2Qx9M';
const LINKS_AND_REPLIES: SmsCountryPolicies = {
  byCallingCode: { '86': { allowsLinks: false, allowsReplies: false } },
  fallback: { allowsLinks: true, allowsReplies: true },
};

/** Realistic long values: the longest names we expect, both call channels where there is one. */
function samples(childName: string): { [K in SmsMessageKind]: SmsMessageOf<K>[] } {
  const childNames = [childName];
  return {
    'booking-confirmed': [
      { kind: 'booking-confirmed', childNames, start: START, channel: 'video' },
      { kind: 'booking-confirmed', childNames, start: START, channel: 'phone' },
    ],
    'reminder-day-before': [
      { kind: 'reminder-day-before', childNames, start: START, channel: 'video' },
      { kind: 'reminder-day-before', childNames, start: START, channel: 'phone' },
    ],
    'reminder-15-min': [
      { kind: 'reminder-15-min', childNames, start: START, channel: 'video' },
      { kind: 'reminder-15-min', childNames, start: START, channel: 'phone' },
    ],
    'call-missed-offer-new-time': [
      { kind: 'call-missed-offer-new-time', childNames, missedStart: START, offeredStart: NEXT },
    ],
    'booking-cancelled': [{ kind: 'booking-cancelled', childNames, start: START }],
    'booking-moved': [{ kind: 'booking-moved', childNames, previousStart: START, start: NEXT }],
    'one-time-code': [{ kind: 'one-time-code', code: '834201', validMinutes: 10 }],
    'duty-digest': [
      { kind: 'duty-digest', day: START, callCount: 124, firstStart: START, noContactCount: 112, noContactDays: 14 },
      { kind: 'duty-digest', day: START, callCount: 0, firstStart: undefined, noContactCount: 3, noContactDays: 7 },
    ],
    'no-contact-alert': [{ kind: 'no-contact-alert', childNames, daysWithoutContact: 120 }],
    'call-proposed': [{ kind: 'call-proposed', childNames, start: START }],
    'call-now': [
      { kind: 'call-now', childNames, channel: 'video' },
      { kind: 'call-now', childNames, channel: 'phone' },
    ],
  };
}

function allSamples(childName: string): SmsMessage[] {
  const byKind = samples(childName);
  return SMS_MESSAGE_KINDS.flatMap((kind): SmsMessage[] => byKind[kind]);
}

interface Audience {
  label: string;
  language: SmsLanguage;
  childName: string;
  context: SmsRenderContext;
}

const AUDIENCES: Audience[] = [
  {
    label: 'zh-CN parent in mainland China',
    language: 'zh-CN',
    childName: '王小明',
    context: {
      recipient: { phone: '+8613800138000', language: 'zh-CN', timeZone: 'Asia/Shanghai' },
      home: HOME_ZH,
      familyUrl: LINK,
    },
  },
  {
    label: 'zh-CN parent working in Tokyo (links and replies allowed)',
    language: 'zh-CN',
    childName: '王小明',
    context: {
      recipient: { phone: '+819012345678', language: 'zh-CN', timeZone: 'Asia/Tokyo' },
      home: HOME_ZH,
      familyUrl: LINK,
      policies: LINKS_AND_REPLIES,
    },
  },
  {
    label: 'en parent in mainland China',
    language: 'en',
    childName: 'Xiaoming',
    context: {
      recipient: { phone: '+8613800138000', language: 'en', timeZone: 'Asia/Shanghai' },
      home: HOME_EN,
      familyUrl: LINK,
    },
  },
  {
    label: 'en parent in London (links and replies allowed)',
    language: 'en',
    childName: 'Xiaoming',
    context: {
      recipient: { phone: '+447700900123', language: 'en', timeZone: 'Europe/London' },
      home: HOME_EN,
      familyUrl: LINK,
      policies: LINKS_AND_REPLIES,
    },
  },
];

const URL_PATTERN = /https?:\/\/|www\.|\.cn\/|\.com\//i;
const REPLY_PATTERN = /回复|回\d|reply/i;

describe('renderSms', () => {
  it('has templates for every kind in both languages', () => {
    expect(AUDIENCES.map((a) => a.language)).toEqual(expect.arrayContaining([...SMS_LANGUAGES]));
    const kinds = new Set(allSamples('王小明').map((m) => m.kind));
    expect([...kinds].sort()).toEqual([...SMS_MESSAGE_KINDS].sort());
  });

  for (const audience of AUDIENCES) {
    describe(audience.label, () => {
      const rendered: [SmsMessage, RenderedSms][] = allSamples(audience.childName).map((m) => [
        m,
        renderSms(m, audience.context),
      ]);

      it('fits every message in one SMS', () => {
        for (const [message, sms] of rendered) {
          const limit = sms.segments.encoding === 'ucs-2' ? 70 : 160;
          expect(sms.segments.segments, `${message.kind}: ${sms.body}`).toBe(1);
          expect(sms.segments.units, `${message.kind}: ${sms.body}`).toBeLessThanOrEqual(limit);
        }
      });

      it('ends every message with the Home name', () => {
        const home = audience.context.home.name;
        const signature = audience.language === 'zh-CN' ? `【${home}】` : ` [${home}]`;
        for (const [, sms] of rendered) expect(sms.body.endsWith(signature), sms.body).toBe(true);
      });

      it('sends Chinese as UCS-2 and English with Latin names as GSM-7', () => {
        const expected = audience.language === 'zh-CN' ? 'ucs-2' : 'gsm-7';
        for (const [, sms] of rendered) expect(sms.segments.encoding, sms.body).toBe(expected);
      });

      it('names the child in every message to a parent', () => {
        for (const [message, sms] of rendered) {
          if ('childNames' in message) expect(sms.body).toContain(audience.childName);
        }
      });
    });
  }

  it('never puts a link or a reply prompt in a message to +86', () => {
    for (const audience of AUDIENCES.filter((a) => a.context.recipient.phone.startsWith('+86'))) {
      for (const message of allSamples(audience.childName)) {
        // Even a policy table that would allow both elsewhere keeps +86 bare.
        for (const policies of [undefined, LINKS_AND_REPLIES]) {
          const sms = renderSms(message, { ...audience.context, policies });
          expect(sms.body, sms.body).not.toMatch(URL_PATTERN);
          expect(sms.body, sms.body).not.toMatch(REPLY_PATTERN);
          expect(sms).toMatchObject({ hasLink: false, asksForReply: false });
        }
      }
    }
  });

  it('tells +86 parents how to act without a link', () => {
    const context = AUDIENCES[0]!.context;
    const video = renderSms(
      { kind: 'booking-confirmed', childNames: ['王小明'], start: START, channel: 'video' },
      context,
    );
    expect(video.body).toBe('王小明的亲情电话约在11月18日周三12:15，到时请打开亲情电话。【某某小学留守儿童之家】');
    const phone = renderSms(
      { kind: 'reminder-15-min', childNames: ['王小明'], start: START, channel: 'phone' },
      context,
    );
    expect(phone.body).toBe('王小明12:15和您通话，15分钟后开始，我们会打电话给您。【某某小学留守儿童之家】');
  });

  it('links to the family page where links are allowed, and only in video-call messages', () => {
    const context = AUDIENCES[1]!.context;
    const video = renderSms(
      { kind: 'booking-confirmed', childNames: ['王小明'], start: START, channel: 'video' },
      context,
    );
    expect(video).toMatchObject({ hasLink: true, asksForReply: false });
    expect(video.body).toContain(LINK);
    const phone = renderSms(
      { kind: 'booking-confirmed', childNames: ['王小明'], start: START, channel: 'phone' },
      context,
    );
    expect(phone.body).not.toContain(LINK);
    const code = renderSms({ kind: 'one-time-code', code: '834201', validMinutes: 10 }, context);
    expect(code.body).not.toMatch(URL_PATTERN);
  });

  it('leaves the link out where the country policy forbids it, even when one is given', () => {
    const context: SmsRenderContext = {
      ...AUDIENCES[3]!.context,
      policies: {
        byCallingCode: { '44': { allowsLinks: false, allowsReplies: false } },
        fallback: LINKS_AND_REPLIES.fallback,
      },
    };
    for (const message of allSamples('Xiaoming')) {
      const sms = renderSms(message, context);
      expect(sms.body).not.toMatch(URL_PATTERN);
      expect(sms.body).not.toMatch(REPLY_PATTERN);
    }
  });

  it('asks for a reply only where replies are allowed and no link does the job', () => {
    const context = AUDIENCES[3]!.context;
    const phone = renderSms(
      { kind: 'reminder-day-before', childNames: ['Xiaoming'], start: START, channel: 'phone' },
      context,
    );
    expect(phone).toMatchObject({ asksForReply: true });
    expect(phone.body).toContain('Reply 1 to confirm, 2 to cancel.');
    const withoutLink = renderSms(
      { kind: 'booking-confirmed', childNames: ['Xiaoming'], start: START, channel: 'video' },
      { ...context, familyUrl: undefined },
    );
    expect(withoutLink.body).toMatch(REPLY_PATTERN);
    const zh = renderSms(
      { kind: 'booking-confirmed', childNames: ['王小明'], start: START, channel: 'phone' },
      AUDIENCES[1]!.context,
    );
    expect(zh.body).toContain('回1确认，回2取消。');
  });

  describe('times', () => {
    const message = { kind: 'booking-confirmed', childNames: ['王小明'], start: START, channel: 'phone' } as const;
    const zhIn = (phone: string, timeZone: string) =>
      renderSms(message, { recipient: { phone, language: 'zh-CN', timeZone }, home: HOME_ZH }).body;

    it('shows the time in the recipient’s zone, marked as local time when it is not the Home’s', () => {
      expect(zhIn('+8613800138000', 'Asia/Shanghai')).toContain('11月18日周三12:15，');
      expect(zhIn('+819012345678', 'Asia/Tokyo')).toContain('11月18日周三13:15(当地时间)');
      expect(zhIn('+34612345678', 'Europe/Madrid')).toContain('11月18日周三05:15(当地时间)');
      // Across the date line the day changes too.
      expect(zhIn('+12125550123', 'America/Los_Angeles')).toContain('11月17日周二20:15(当地时间)');
    });

    it('does not mark a zone with the Home’s offset', () => {
      expect(zhIn('+85291234567', 'Asia/Hong_Kong')).toContain('11月18日周三12:15，');
    });

    it('follows daylight saving time in the recipient’s zone', () => {
      const render = (start: Date) =>
        renderSms(
          { kind: 'reminder-15-min', childNames: ['Xiaoming'], start, channel: 'phone' },
          { recipient: { phone: '+447700900123', language: 'en', timeZone: 'Europe/London' }, home: HOME_EN },
        ).body;
      // The UK moves to summer time on 29 March 2026.
      expect(render(new Date('2026-03-28T12:00:00Z'))).toContain('(12:00)');
      expect(render(new Date('2026-03-30T12:00:00Z'))).toContain('(13:00)');
    });

    it('writes English dates the English way', () => {
      const sms = renderSms(
        { kind: 'booking-cancelled', childNames: ['Xiaoming'], start: START },
        { recipient: { phone: '+8613800138000', language: 'en', timeZone: 'Asia/Shanghai' }, home: HOME_EN },
      );
      expect(sms.body).toBe(
        "Call with Xiaoming on Wed 18 Nov, 12:15 cancelled. To book again, open Affection Phone. [Qingshan Township Primary School Children's Home]",
      );
    });

    it('refuses an unknown zone', () => {
      expect(() =>
        renderSms(message, {
          recipient: { phone: '+8613800138000', language: 'zh-CN', timeZone: 'Mars/Base' },
          home: HOME_ZH,
        }),
      ).toThrow(RangeError);
    });
  });

  it('names siblings who share a call', () => {
    const context = AUDIENCES[0]!.context;
    const two = renderSms({ kind: 'booking-cancelled', childNames: ['小明', '小红'], start: START }, context);
    expect(two.body.startsWith('小明和小红11月18日')).toBe(true);
    const three = renderSms(
      { kind: 'no-contact-alert', childNames: ['小明', '小红', '小刚'], daysWithoutContact: 9 },
      context,
    );
    expect(three.body.startsWith('小明、小红和小刚已9天')).toBe(true);
    const en = renderSms(
      { kind: 'no-contact-alert', childNames: ['Ming', 'Hong'], daysWithoutContact: 9 },
      AUDIENCES[2]!.context,
    );
    expect(en.body.startsWith('Ming and Hong have not talked')).toBe(true);
    for (const message of allSamples('小明')) {
      if (!('childNames' in message)) continue;
      const sms = renderSms({ ...message, childNames: ['小明', '小红'] }, context);
      expect(sms.segments.segments, sms.body).toBe(1);
    }
  });

  it('asks a parent to confirm a proposed call, in one SMS: siblings, the local time, a link or a reply', () => {
    const message = { kind: 'call-proposed', childNames: ['王小明', '王小红'], start: START } as const;
    const mainland = renderSms(message, AUDIENCES[0]!.context);
    expect(mainland.body).toBe(
      '王小明和王小红的亲情电话安排在11月18日周三12:15，请打开亲情电话确认。【某某小学留守儿童之家】',
    );
    const tokyo = renderSms({ ...message, childNames: ['王小明'] }, AUDIENCES[1]!.context);
    expect(tokyo.body).toBe(`王小明11月18日周三13:15(当地时间)的通话待确认：${LINK}【某某小学留守儿童之家】`);
    const london = renderSms({ ...message, childNames: ['Xiaoming', 'Xiaohong'] }, AUDIENCES[3]!.context);
    expect(london.body).toContain(
      `Proposed call: Xiaoming and Xiaohong, Wed 18 Nov, 04:15 (your time). Confirm: ${LINK}`,
    );
    const noLink = renderSms(
      { ...message, childNames: ['Xiaoming'] },
      { ...AUDIENCES[3]!.context, familyUrl: undefined },
    );
    expect(noLink.body).toContain('Reply 1 to confirm, 2 to cancel.');
    for (const sms of [mainland, tokyo, london, noLink]) {
      expect(sms.segments.segments, sms.body).toBe(1);
      expect(sms.segments.units, sms.body).toBeLessThanOrEqual(sms.segments.encoding === 'ucs-2' ? 70 : 160);
    }
  });

  it('counts calls and children in English without "1 calls"', () => {
    const sms = renderSms(
      { kind: 'duty-digest', day: START, callCount: 1, firstStart: START, noContactCount: 1, noContactDays: 14 },
      AUDIENCES[2]!.context,
    );
    expect(sms.body).toContain('1 call, first at 12:15. 1 child without a call for 14+ days.');
  });
});
