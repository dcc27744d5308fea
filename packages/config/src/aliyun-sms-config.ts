import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().min(1).optional());
const IPV4_OR_CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;
const ENDPOINT = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+(?::\d{1,5})?)\/?$/;

/**
 * The template keys an Alibaba Cloud template code can be given for (the core's `SMS_TEMPLATE_KEYS`; config
 * depends on nothing of ours, a test keeps the two lists equal).
 */
export const ALIYUN_SMS_TEMPLATE_KEYS = [
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

/** Alibaba Cloud SMS, as configured (`SMS_PROVIDER=aliyun`). */
export interface AliyunSmsConfig {
  accessKeyId: string;
  /** Never logged. */
  accessKeySecret: string;
  /** The default signature (签名); a Home may have its own (`homes.sms_sign_name`). */
  signName: string;
  /** Template key → approved template code (`SMS_…`); a key not here has no approved template. */
  templateCodes: Record<string, string>;
  /** Default `cn-hangzhou`. */
  regionId: string;
  /** `host[:port]` of the API; undefined for the provider's own. */
  endpoint: string | undefined;
  /** `http` only for a test endpoint given as `http://…`. */
  protocol: 'https' | 'http';
  /** The secret in the delivery-report URL; null: the report route answers 404. Never logged. */
  reportToken: string | null;
  /** Source addresses (IPv4 or CIDR) the report push may come from; empty: any. */
  reportAllowedIps: string[];
}

/** The environment variables of SMS provider choice and Alibaba Cloud SMS, spread into the env schema. */
export const SMS_PROVIDER_ENV = {
  /**
   * Which provider sends SMS: `outbox` (stored for the console, nothing leaves the machine), `twilio` or `aliyun`
   * (+86 through Alibaba Cloud; other numbers through Twilio when TWILIO_* is set, else the outbox). Unset: Twilio
   * when TWILIO_* is set, else the outbox (as before this setting existed).
   */
  SMS_PROVIDER: z.preprocess(emptyToUndefined, z.enum(['outbox', 'twilio', 'aliyun']).optional()),
  ALIYUN_ACCESS_KEY_ID: optionalString,
  ALIYUN_ACCESS_KEY_SECRET: optionalString,
  /** The default registered signature, e.g. `某某县留守儿童之家`. */
  ALIYUN_SMS_SIGN_NAME: z.preprocess(emptyToUndefined, z.string().min(2).max(12).optional()),
  /** JSON object: template key → approved code, e.g. `{"booking-confirmed":"SMS_123456789"}`. */
  ALIYUN_SMS_TEMPLATES: optionalString,
  /** Secret path segment of the delivery-report URL: at least 16 characters. */
  ALIYUN_SMS_REPORT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(16, { message: 'must be at least 16 characters (e.g. from `openssl rand -hex 24`)' })
      .regex(/^[A-Za-z0-9_-]+$/, { message: 'letters, digits, - and _ only (it is a URL path segment)' })
      .optional(),
  ),
  /** Default `cn-hangzhou`. */
  ALIYUN_REGION: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z]{2}-[a-z0-9-]+$/, { message: 'a region id like cn-hangzhou' })
      .default('cn-hangzhou'),
  ),
  /** The API's host (tests: `http://127.0.0.1:port`). Default the provider's own. */
  ALIYUN_SMS_ENDPOINT: z.preprocess(
    emptyToUndefined,
    z.string().regex(ENDPOINT, { message: 'a host[:port], or http(s)://host[:port]' }).optional(),
  ),
  /** Comma-separated IPv4 addresses or CIDR blocks the report push may come from. Default any. */
  ALIYUN_REPORT_ALLOWED_IPS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      )
      .refine((items) => items.every((item) => IPV4_OR_CIDR.test(item)), {
        message: 'a comma-separated list of IPv4 addresses or CIDR blocks',
      })
      .optional(),
  ),
};

type SmsProviderEnv = {
  SMS_PROVIDER?: 'outbox' | 'twilio' | 'aliyun' | undefined;
  ALIYUN_ACCESS_KEY_ID?: string | undefined;
  ALIYUN_ACCESS_KEY_SECRET?: string | undefined;
  ALIYUN_SMS_SIGN_NAME?: string | undefined;
  ALIYUN_SMS_TEMPLATES?: string | undefined;
  ALIYUN_SMS_REPORT_TOKEN?: string | undefined;
  ALIYUN_REGION: string;
  ALIYUN_SMS_ENDPOINT?: string | undefined;
  ALIYUN_REPORT_ALLOWED_IPS?: string[] | undefined;
};

/** The template codes of ALIYUN_SMS_TEMPLATES, or the problem with it. */
function parseTemplateCodes(raw: string): { ok: true; codes: Record<string, string> } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'must be a JSON object, e.g. {"booking-confirmed":"SMS_123456789"}' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, message: 'must be a JSON object, e.g. {"booking-confirmed":"SMS_123456789"}' };
  const problems: string[] = [];
  const codes: Record<string, string> = {};
  for (const [key, code] of Object.entries(parsed)) {
    if (!(ALIYUN_SMS_TEMPLATE_KEYS as readonly string[]).includes(key)) problems.push(`unknown template key ${key}`);
    else if (typeof code !== 'string' || !/^SMS_\d{3,20}$/.test(code))
      problems.push(`the code of ${key} must look like SMS_123456789`);
    else codes[key] = code;
  }
  if (problems.length > 0)
    return { ok: false, message: `${problems.join('; ')} (keys: ${ALIYUN_SMS_TEMPLATE_KEYS.join(', ')})` };
  if (Object.keys(codes).length === 0) return { ok: false, message: 'names no template' };
  return { ok: true, codes };
}

/**
 * Adds every problem of the SMS provider settings: what SMS_PROVIDER=aliyun needs, Twilio asked for but not
 * configured, Alibaba Cloud settings given while another provider is chosen, a bad template list.
 */
export function checkSmsProviderEnv(
  env: SmsProviderEnv & { hasTwilio: boolean },
  addIssue: (path: string, message: string) => void,
): void {
  const isAliyun = env.SMS_PROVIDER === 'aliyun';
  // The AccessKey and the report allow-list are shared with the voice service, which checks them itself.
  const aliyunVars = [
    'ALIYUN_SMS_SIGN_NAME',
    'ALIYUN_SMS_TEMPLATES',
    'ALIYUN_SMS_REPORT_TOKEN',
    'ALIYUN_SMS_ENDPOINT',
  ] as const;
  if (isAliyun) {
    for (const name of [
      'ALIYUN_ACCESS_KEY_ID',
      'ALIYUN_ACCESS_KEY_SECRET',
      'ALIYUN_SMS_SIGN_NAME',
      'ALIYUN_SMS_TEMPLATES',
    ] as const) {
      if (env[name] === undefined) addIssue(name, 'is required with SMS_PROVIDER=aliyun');
    }
  } else {
    const stray = aliyunVars.filter((name) => env[name] !== undefined);
    if (stray.length > 0) addIssue(stray[0] as string, `${stray.join(', ')} set but SMS_PROVIDER is not aliyun`);
  }
  if (env.ALIYUN_SMS_TEMPLATES !== undefined) {
    const parsed = parseTemplateCodes(env.ALIYUN_SMS_TEMPLATES);
    if (!parsed.ok) addIssue('ALIYUN_SMS_TEMPLATES', parsed.message);
  }
  if (env.SMS_PROVIDER === 'twilio' && !env.hasTwilio)
    addIssue(
      'SMS_PROVIDER',
      'twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID',
    );
}

/** Which provider sends (SMS_PROVIDER, or Twilio when TWILIO_* is set, else the outbox). */
export function smsProviderOf(env: SmsProviderEnv, hasTwilio: boolean): 'outbox' | 'twilio' | 'aliyun' {
  return env.SMS_PROVIDER ?? (hasTwilio ? 'twilio' : 'outbox');
}

/** The Alibaba Cloud SMS settings of a validated environment, or null when it is not the provider. */
export function aliyunSmsConfigOf(env: SmsProviderEnv): AliyunSmsConfig | null {
  if (env.SMS_PROVIDER !== 'aliyun') return null;
  const { ALIYUN_ACCESS_KEY_ID: id, ALIYUN_ACCESS_KEY_SECRET: secret, ALIYUN_SMS_SIGN_NAME: sign } = env;
  if (!id || !secret || !sign || !env.ALIYUN_SMS_TEMPLATES) return null;
  const templates = parseTemplateCodes(env.ALIYUN_SMS_TEMPLATES);
  if (!templates.ok) return null;
  const endpoint = env.ALIYUN_SMS_ENDPOINT ? ENDPOINT.exec(env.ALIYUN_SMS_ENDPOINT) : null;
  return {
    accessKeyId: id,
    accessKeySecret: secret,
    signName: sign,
    templateCodes: templates.codes,
    regionId: env.ALIYUN_REGION,
    endpoint: endpoint?.[2],
    protocol: endpoint?.[1] === 'http' ? 'http' : 'https',
    reportToken: env.ALIYUN_SMS_REPORT_TOKEN ?? null,
    reportAllowedIps: env.ALIYUN_REPORT_ALLOWED_IPS ?? [],
  };
}
