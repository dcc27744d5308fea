import { DateTime, IANAZone } from 'luxon';
import { DEFAULT_SMS_COUNTRY_POLICIES, type SmsCountryPolicies, smsPolicyFor } from './sms-country-policy.ts';
import type { SmsLanguage, SmsMessage, SmsMessageKind, SmsMessageOf } from './sms-message.ts';
import { type SmsSegments, smsSegments } from './sms-segments.ts';
import type { SmsTemplateSet, SmsTemplateTools } from './sms-template-set.ts';
import { enSmsTemplates } from './sms-templates-en.ts';
import { zhCnSmsTemplates } from './sms-templates-zh-cn.ts';

const TEMPLATES: Record<SmsLanguage, SmsTemplateSet> = { 'zh-CN': zhCnSmsTemplates, en: enSmsTemplates };
const LUXON_LOCALE: Record<SmsLanguage, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

/** Who the message is for. */
export interface SmsRecipient {
  /** E.164; its calling code picks the country policy. */
  phone: string;
  language: SmsLanguage;
  /** IANA zone the recipient lives in; every time in the message is shown in it. */
  timeZone: string;
}

/** Everything a message is rendered with besides its own data. */
export interface SmsRenderContext {
  recipient: SmsRecipient;
  /** The Home that writes: its name signs every message; times in another zone get a "local time" mark. */
  home: { name: string; timeZone: string };
  /**
   * The family page as a short link (keep it under 30 characters so messages stay one part).
   * Used only where the recipient's country allows links.
   */
  familyUrl?: string;
  /** Default {@link DEFAULT_SMS_COUNTRY_POLICIES}. */
  policies?: SmsCountryPolicies;
}

/** A rendered message and what it contains. */
export interface RenderedSms {
  body: string;
  hasLink: boolean;
  asksForReply: boolean;
  /** Parts on the air; templates are written to fit one. */
  segments: SmsSegments;
}

/**
 * Renders one of our templates for a recipient: in their language, with times in their zone,
 * with a link and a reply prompt only where their country allows, ending with the Home's name.
 * Throws `RangeError` for an unknown time zone.
 *
 * @example
 * renderSms(
 *   { kind: 'reminder-15-min', childNames: ['小明'], start, channel: 'phone' },
 *   { recipient: { phone: '+8613800138000', language: 'zh-CN', timeZone: 'Asia/Shanghai' },
 *     home: { name: '某某小学留守儿童之家', timeZone: 'Asia/Shanghai' } },
 * ).body // '小明12:15和您通话，15分钟后开始，我们会打电话给您。【某某小学留守儿童之家】'
 */
export function renderSms(message: SmsMessage, context: SmsRenderContext): RenderedSms {
  const { recipient, home } = context;
  for (const zone of [recipient.timeZone, home.timeZone]) {
    // Through luxon's cache of zones: isValidZone builds a new Intl.DateTimeFormat on every call.
    if (!IANAZone.create(zone).isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  }
  const templates = TEMPLATES[recipient.language];
  const policy = smsPolicyFor(recipient.phone, context.policies ?? DEFAULT_SMS_COUNTRY_POLICIES);
  const link = policy.allowsLinks ? context.familyUrl : undefined;
  const inZone = (instant: Date) =>
    DateTime.fromJSDate(instant, { zone: recipient.timeZone }).setLocale(LUXON_LOCALE[recipient.language]);
  const isHomeOffset = (instant: Date) =>
    inZone(instant).offset === DateTime.fromJSDate(instant, { zone: home.timeZone }).offset;
  let asksForReply = false;
  const tools: SmsTemplateTools = {
    dateTime: (instant) =>
      inZone(instant).toFormat(templates.dateTimeFormat) + (isHomeOffset(instant) ? '' : templates.localTimeMarker),
    date: (instant) => inZone(instant).toFormat(templates.dateFormat),
    clock: (instant) => inZone(instant).toFormat('HH:mm'),
    names: (names) =>
      names.length <= 1
        ? (names[0] ?? '')
        : `${names.slice(0, -1).join(templates.listSeparator)}${templates.lastListSeparator}${names.at(-1)}`,
    link,
    replyPrompt: () => {
      if (!policy.allowsReplies) return undefined;
      asksForReply = true;
      return templates.replyPrompt;
    },
  };
  const text = renderWith(templates, message, tools);
  const body = text + templates.signature(home.name);
  return {
    body,
    hasLink: link !== undefined && body.includes(link),
    asksForReply,
    segments: smsSegments(body),
  };
}

function renderWith<K extends SmsMessageKind>(
  templates: SmsTemplateSet,
  message: SmsMessageOf<K>,
  tools: SmsTemplateTools,
): string {
  const template = templates[message.kind] as (message: SmsMessageOf<K>, tools: SmsTemplateTools) => string;
  return template(message, tools);
}
