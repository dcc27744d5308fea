import { describe, expect, it } from 'vitest';
import { renderSms } from './render-sms.ts';
import { DEFAULT_SMS_COUNTRY_POLICIES, type SmsCountryPolicies } from './sms-country-policy.ts';
import type { SmsMessage } from './sms-message.ts';
import {
  SMS_TEMPLATE_KEYS,
  smsTemplateCallOf,
  smsTemplateCallProblems,
  smsTemplateRefusalOf,
  smsTemplateVariablesOf,
  ZH_CN_SMS_TEMPLATE_TEXTS,
} from './sms-provider-templates.ts';

// Wednesday 18 November 2026, 12:15 in Beijing.
const START = new Date('2026-11-18T04:15:00Z');
const NEXT = new Date('2026-11-19T09:30:00Z');
const HOME = { name: '某某小学留守儿童之家', timeZone: 'Asia/Shanghai' };
const PHONE = '+8613800138000';

/** One message for every template key. */
const MESSAGES: SmsMessage[] = [
  { kind: 'booking-confirmed', childNames: ['小明'], start: START, channel: 'video' },
  { kind: 'booking-confirmed', childNames: ['小明', '小红'], start: START, channel: 'phone' },
  { kind: 'reminder-day-before', childNames: ['小明'], start: START, channel: 'video' },
  { kind: 'reminder-day-before', childNames: ['小明'], start: START, channel: 'phone' },
  { kind: 'reminder-15-min', childNames: ['小明'], start: START, channel: 'video' },
  { kind: 'reminder-15-min', childNames: ['小明'], start: START, channel: 'phone' },
  { kind: 'call-missed-offer-new-time', childNames: ['小明'], missedStart: START, offeredStart: NEXT },
  { kind: 'booking-cancelled', childNames: ['小明'], start: START },
  { kind: 'booking-moved', childNames: ['小明'], previousStart: START, start: NEXT },
  { kind: 'one-time-code', code: '482913', validMinutes: 10 },
  { kind: 'duty-digest', day: START, callCount: 12, firstStart: START, noContactCount: 3, noContactDays: 14 },
  { kind: 'duty-digest', day: START, callCount: 0, firstStart: undefined, noContactCount: 3, noContactDays: 14 },
  { kind: 'no-contact-alert', childNames: ['小明'], daysWithoutContact: 15 },
  { kind: 'call-proposed', childNames: ['小明'], start: START },
  { kind: 'call-now', childNames: ['小明'], channel: 'video' },
  { kind: 'call-now', childNames: ['小明'], channel: 'phone' },
];

function fill(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => variables[name] ?? `<${name}?>`);
}

describe('registered SMS templates', () => {
  it('covers every template key once with these messages', () => {
    const keys = MESSAGES.map(
      (m) => smsTemplateCallOf(m, { timeZone: HOME.timeZone, homeTimeZone: HOME.timeZone }).key,
    );
    expect([...keys].sort()).toEqual([...SMS_TEMPLATE_KEYS].sort());
  });

  it.each(MESSAGES.map((m, i) => [i, m] as const))(
    'message %i filled into its template reads as our zh-CN catalog renders it for a mainland number',
    (_, message) => {
      const call = smsTemplateCallOf(message, { timeZone: HOME.timeZone, homeTimeZone: HOME.timeZone });
      const rendered = renderSms(message, {
        recipient: { phone: PHONE, language: 'zh-CN', timeZone: HOME.timeZone },
        home: HOME,
        familyUrl: 'https://qqdh.cn/f/x',
      });
      // The provider signs in front (【…】); our rendering signs at the end.
      expect(`${fill(ZH_CN_SMS_TEMPLATE_TEXTS[call.key], call.variables)}【${HOME.name}】`).toBe(rendered.body);
      expect(Object.keys(call.variables).sort()).toEqual(smsTemplateVariablesOf(call.key).sort());
      expect(smsTemplateCallProblems(call)).toEqual([]);
    },
  );

  it('marks a time in another zone as local, as the catalog does', () => {
    const call = smsTemplateCallOf(
      { kind: 'booking-confirmed', childNames: ['小明'], start: START, channel: 'video' },
      { timeZone: 'Europe/Madrid', homeTimeZone: HOME.timeZone },
    );
    expect(call.variables.time).toBe('11月18日周三05:15(当地时间)');
  });

  it('finds what the provider would refuse: long, link-like, missing, extra, a code that is not digits', () => {
    expect(smsTemplateCallProblems({ key: 'call-now', variables: { name: '小'.repeat(36) } })).toEqual([
      'variable name must be 1–35 characters',
    ]);
    expect(smsTemplateCallProblems({ key: 'call-now', variables: { name: 'www.example.com' } })[0]).toMatch(/link/);
    expect(smsTemplateCallProblems({ key: 'call-now', variables: { name: '看 qqdh.cn' } })[0]).toMatch(/link/);
    expect(smsTemplateCallProblems({ key: 'call-now', variables: {} })).toEqual(['variable name is missing']);
    expect(smsTemplateCallProblems({ key: 'call-now', variables: { name: '小明', time: 'x' } })).toEqual([
      'variable time is not in template call-now',
    ]);
    expect(smsTemplateCallProblems({ key: 'one-time-code', variables: { code: '12ab', minutes: '10' } })).toEqual([
      'variable code must be 4–8 digits',
    ]);
  });

  it('refuses a mainland message without an approved template only where templates are required', () => {
    const call = smsTemplateCallOf(
      { kind: 'call-proposed', childNames: ['小明'], start: START },
      { timeZone: HOME.timeZone, homeTimeZone: HOME.timeZone },
    );
    const aliyun: SmsCountryPolicies = {
      ...DEFAULT_SMS_COUNTRY_POLICIES,
      templatesOnly: { callingCodes: ['86'], approved: ['booking-confirmed'] },
    };
    expect(smsTemplateRefusalOf(PHONE, call, aliyun)).toBe(
      'No approved template for call-proposed: set its template code',
    );
    expect(smsTemplateRefusalOf('+34612345678', call, aliyun)).toBeNull();
    expect(smsTemplateRefusalOf(PHONE, call, DEFAULT_SMS_COUNTRY_POLICIES)).toBeNull();
    expect(
      smsTemplateRefusalOf(PHONE, call, {
        ...aliyun,
        templatesOnly: { callingCodes: ['86'], approved: ['call-proposed'] },
      }),
    ).toBeNull();
  });
});
