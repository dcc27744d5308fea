import { DateTime, IANAZone } from 'luxon';
import type { SmsCountryPolicies } from './sms-country-policy.ts';
import type { SmsMessage } from './sms-message.ts';
import { zhCnSmsTemplates } from './sms-templates-zh-cn.ts';

/**
 * The templates a provider that sends only registered templates (Alibaba Cloud SMS, for mainland numbers) is
 * asked to approve: one per message kind, and a second one where the kind's text differs for a parent taken by
 * phone (`…-phone`) or a digest with no call (`duty-digest-none`).
 */
export const SMS_TEMPLATE_KEYS = [
  'booking-confirmed',
  'booking-confirmed-phone',
  'reminder-day-before',
  'reminder-day-before-phone',
  'reminder-15-min',
  'reminder-15-min-phone',
  'call-missed-offer-new-time',
  'booking-cancelled',
  'booking-moved',
  'one-time-code',
  'duty-digest',
  'duty-digest-none',
  'no-contact-alert',
  'call-proposed',
  'call-now',
  'call-now-phone',
] as const;
/** One of {@link SMS_TEMPLATE_KEYS}. */
export type SmsTemplateKey = (typeof SMS_TEMPLATE_KEYS)[number];

/**
 * The text submitted for approval, with `${variable}` (escaped here: it is the provider's syntax) where the provider fills in a value. Each is our zh-CN
 * catalog's text for a country without links or replies (`sms-templates-zh-cn.ts`); the provider puts the
 * signature (【…】) in front, where our own rendering signs at the end.
 */
export const ZH_CN_SMS_TEMPLATE_TEXTS: Readonly<Record<SmsTemplateKey, string>> = {
  'booking-confirmed': `\${name}的亲情电话约在\${time}，到时请打开亲情电话。`,
  'booking-confirmed-phone': `\${name}的亲情电话约在\${time}，我们会打电话给您。`,
  'reminder-day-before': `提醒：\${name}\${time}和您视频通话，到时请打开亲情电话。`,
  'reminder-day-before-phone': `提醒：\${name}\${time}和您通话，我们会打电话给您。`,
  'reminder-15-min': `\${name}\${clock}和您通话，15分钟后开始，到时请打开亲情电话。`,
  'reminder-15-min-phone': `\${name}\${clock}和您通话，15分钟后开始，我们会打电话给您。`,
  'call-missed-offer-new-time': `\${name}\${missed}的通话未接通。新时间\${time}，不方便请打开亲情电话改时间。`,
  'booking-cancelled': `\${name}\${time}的通话已取消。重新预约请打开亲情电话。`,
  'booking-moved': `\${name}的通话改到\${time}（原\${previous}），请准时接听。`,
  'one-time-code': `验证码\${code}，\${minutes}分钟内有效。请勿告诉他人。`,
  'duty-digest': `\${date}值日：通话\${calls}个，首个\${clock}；\${children}名孩子超过\${days}天未通话。请打开亲情电话查看。`,
  'duty-digest-none': `\${date}值日：通话\${calls}个；\${children}名孩子超过\${days}天未通话。请打开亲情电话查看。`,
  'no-contact-alert': `\${name}已\${days}天没和家人通话，请安排一次亲情电话。`,
  'call-proposed': `\${name}的亲情电话安排在\${time}，请打开亲情电话确认。`,
  'call-now': `\${name}在学校等您视频，请现在打开亲情电话页面。`,
  'call-now-phone': `\${name}在学校等您通话，我们马上打电话给您。`,
};

/** The variable names of a template, in the order its text uses them. */
export function smsTemplateVariablesOf(key: SmsTemplateKey): string[] {
  return [...ZH_CN_SMS_TEMPLATE_TEXTS[key].matchAll(/\$\{(\w+)\}/g)].map((match) => match[1] as string);
}

/** A message as a registered template and its variables, stored with the message so the sender reads it back. */
export interface SmsTemplateCall {
  key: SmsTemplateKey;
  /** Variable name → value, every value a string (the provider takes only strings). */
  variables: Record<string, string>;
}

/** Where the values are written: the recipient's zone, and the Home's (a time in another zone is marked local). */
export interface SmsTemplateCallContext {
  timeZone: string;
  homeTimeZone: string;
}

/**
 * The registered template and its variables for a message, formatted in Chinese for the recipient's zone (the
 * templates are Chinese: a mainland number gets them whatever language its contact reads).
 *
 * @example smsTemplateCallOf({ kind: 'call-now', childNames: ['小明'], channel: 'phone' }, ctx)
 *   // { key: 'call-now-phone', variables: { name: '小明' } }
 */
export function smsTemplateCallOf(message: SmsMessage, context: SmsTemplateCallContext): SmsTemplateCall {
  for (const zone of [context.timeZone, context.homeTimeZone]) {
    // Through luxon's cache of zones: isValidZone builds a new Intl.DateTimeFormat on every call.
    if (!IANAZone.create(zone).isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  }
  const t = zhCnSmsTemplates;
  const inZone = (instant: Date) => DateTime.fromJSDate(instant, { zone: context.timeZone }).setLocale('zh-CN');
  const time = (instant: Date) =>
    inZone(instant).toFormat(t.dateTimeFormat) +
    (inZone(instant).offset === DateTime.fromJSDate(instant, { zone: context.homeTimeZone }).offset
      ? ''
      : t.localTimeMarker);
  const clock = (instant: Date) => inZone(instant).toFormat('HH:mm');
  const names = (list: readonly string[]) =>
    list.length <= 1
      ? (list[0] ?? '')
      : `${list.slice(0, -1).join(t.listSeparator)}${t.lastListSeparator}${list.at(-1)}`;
  const byChannel = (key: SmsTemplateKey, channel: 'video' | 'phone') =>
    (channel === 'phone' ? `${key}-phone` : key) as SmsTemplateKey;
  switch (message.kind) {
    case 'booking-confirmed':
    case 'reminder-day-before':
      return {
        key: byChannel(message.kind, message.channel),
        variables: { name: names(message.childNames), time: time(message.start) },
      };
    case 'reminder-15-min':
      return {
        key: byChannel(message.kind, message.channel),
        variables: { name: names(message.childNames), clock: clock(message.start) },
      };
    case 'call-missed-offer-new-time':
      return {
        key: message.kind,
        variables: {
          name: names(message.childNames),
          missed: time(message.missedStart),
          time: time(message.offeredStart),
        },
      };
    case 'booking-cancelled':
    case 'call-proposed':
      return { key: message.kind, variables: { name: names(message.childNames), time: time(message.start) } };
    case 'booking-moved':
      return {
        key: message.kind,
        variables: {
          name: names(message.childNames),
          time: time(message.start),
          previous: time(message.previousStart),
        },
      };
    case 'one-time-code':
      return { key: message.kind, variables: { code: message.code, minutes: String(message.validMinutes) } };
    case 'duty-digest': {
      const common = {
        date: inZone(message.day).toFormat(t.dateFormat),
        calls: String(message.callCount),
        children: String(message.noContactCount),
        days: String(message.noContactDays),
      };
      return message.firstStart
        ? { key: 'duty-digest', variables: { ...common, clock: clock(message.firstStart) } }
        : { key: 'duty-digest-none', variables: common };
    }
    case 'no-contact-alert':
      return {
        key: message.kind,
        variables: { name: names(message.childNames), days: String(message.daysWithoutContact) },
      };
    case 'call-now':
      return { key: byChannel(message.kind, message.channel), variables: { name: names(message.childNames) } };
  }
}

/** The longest value a notification template variable may have (Alibaba Cloud's rule for variables). */
export const SMS_TEMPLATE_VARIABLE_MAX_LENGTH = 35;

const LINK_LIKE = /(?:https?:|www\.|:\/\/|[a-z0-9-]+\.(?:com|cn|net|org|io|me|cc|top|xyz|app)\b)/i;

/**
 * What is wrong with a template call by the provider's rules, in English for the log and the console: every
 * variable of the template present and no other, each 1–35 characters, no links, a code of 4–8 digits.
 * Empty when it may be sent.
 */
export function smsTemplateCallProblems(call: SmsTemplateCall): string[] {
  const problems: string[] = [];
  const names = smsTemplateVariablesOf(call.key);
  for (const name of names) {
    const value = call.variables[name];
    if (value === undefined) problems.push(`variable ${name} is missing`);
    else if (value.length === 0 || value.length > SMS_TEMPLATE_VARIABLE_MAX_LENGTH)
      problems.push(`variable ${name} must be 1–${SMS_TEMPLATE_VARIABLE_MAX_LENGTH} characters`);
    else if (LINK_LIKE.test(value)) problems.push(`variable ${name} looks like a link, which templates may not carry`);
  }
  for (const name of Object.keys(call.variables)) {
    if (!names.includes(name)) problems.push(`variable ${name} is not in template ${call.key}`);
  }
  if (call.key === 'one-time-code' && !/^\d{4,8}$/.test(call.variables.code ?? ''))
    problems.push('variable code must be 4–8 digits');
  return problems;
}

/** Whether an E.164 number's calling code is one of `callingCodes` (`'86'`). */
function hasCallingCode(phone: string, callingCodes: readonly string[]): boolean {
  return callingCodes.some((code) => phone.startsWith(`+${code}`));
}

/**
 * Why a message may not be sent to `phone` (`null` when it may): where the policies say the number's country
 * takes registered templates only ({@link SmsCountryPolicies.templatesOnly}), its template must be approved and
 * its variables within the rules. The planner stores a refused message as failed with this reason instead of
 * sending it to be refused.
 */
export function smsTemplateRefusalOf(
  phone: string,
  call: SmsTemplateCall,
  policies: SmsCountryPolicies | undefined,
): string | null {
  const rule = policies?.templatesOnly;
  if (!rule || !hasCallingCode(phone, rule.callingCodes)) return null;
  if (!rule.approved.includes(call.key)) return `No approved template for ${call.key}: set its template code`;
  const problems = smsTemplateCallProblems(call);
  return problems.length > 0 ? `Template ${call.key}: ${problems.join('; ')}` : null;
}
