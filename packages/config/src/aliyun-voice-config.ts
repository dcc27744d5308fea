import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const ENDPOINT = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+(?::\d{1,5})?)\/?$/;

/** Alibaba Cloud voice notifications, as configured (`ALIYUN_VOICE_SHOW_NUMBER` and `ALIYUN_VOICE_TTS_TEMPLATE`). */
export interface AliyunVoiceConfig {
  accessKeyId: string;
  /** Never logged. */
  accessKeySecret: string;
  /** The number parents see calling (`CalledShowNumber`), bought in the voice console. */
  showNumber: string;
  /** The approved TTS template of "孩子在学校等您…" (`TTS_…`). */
  ttsTemplate: string;
  regionId: string;
  /** `host[:port]` of the API; undefined for the provider's own. */
  endpoint: string | undefined;
  /** `http` only for a test endpoint given as `http://…`. */
  protocol: 'https' | 'http';
  /** The secret in the call-report URL; null: the report route answers 404. Never logged. */
  reportToken: string | null;
  /** Source addresses (IPv4 or CIDR) the report push may come from (`ALIYUN_REPORT_ALLOWED_IPS`); empty: any. */
  reportAllowedIps: string[];
}

/** The environment variables of Alibaba Cloud voice notifications, spread into the env schema. */
export const ALIYUN_VOICE_ENV = {
  /** The number parents see calling, e.g. `057112345678`: a number bought in the voice console. */
  ALIYUN_VOICE_SHOW_NUMBER: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\+?\d{5,20}$/, { message: 'a phone number of digits, as bought in the voice console' })
      .optional(),
  ),
  /** The approved TTS template code of the "孩子在学校等您" notification, e.g. `TTS_123456789`. */
  ALIYUN_VOICE_TTS_TEMPLATE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^TTS_\d{3,20}$/, { message: 'must look like TTS_123456789' })
      .optional(),
  ),
  /** The voice API's host (tests: `http://127.0.0.1:port`). Default the provider's own. */
  ALIYUN_VOICE_ENDPOINT: z.preprocess(
    emptyToUndefined,
    z.string().regex(ENDPOINT, { message: 'a host[:port], or http(s)://host[:port]' }).optional(),
  ),
  /** Secret path segment of the call-report URL: at least 16 characters. */
  ALIYUN_VOICE_REPORT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(16, { message: 'must be at least 16 characters (e.g. from `openssl rand -hex 24`)' })
      .regex(/^[A-Za-z0-9_-]+$/, { message: 'letters, digits, - and _ only (it is a URL path segment)' })
      .optional(),
  ),
};

type VoiceEnv = {
  SMS_PROVIDER?: 'outbox' | 'twilio' | 'aliyun' | undefined;
  ALIYUN_ACCESS_KEY_ID?: string | undefined;
  ALIYUN_ACCESS_KEY_SECRET?: string | undefined;
  ALIYUN_REGION: string;
  ALIYUN_REPORT_ALLOWED_IPS?: string[] | undefined;
  ALIYUN_VOICE_SHOW_NUMBER?: string | undefined;
  ALIYUN_VOICE_TTS_TEMPLATE?: string | undefined;
  ALIYUN_VOICE_ENDPOINT?: string | undefined;
  ALIYUN_VOICE_REPORT_TOKEN?: string | undefined;
};

const VOICE_VARS = [
  'ALIYUN_VOICE_SHOW_NUMBER',
  'ALIYUN_VOICE_TTS_TEMPLATE',
  'ALIYUN_VOICE_ENDPOINT',
  'ALIYUN_VOICE_REPORT_TOKEN',
] as const;

/**
 * Adds every problem of the voice settings and of the Alibaba Cloud account they share with SMS: the account's
 * settings without SMS_PROVIDER=aliyun; the show number and the TTS template go together, and both need the account
 * (SMS_PROVIDER=aliyun with its AccessKey); the other voice settings need them.
 */
export function checkAliyunVoiceEnv(env: VoiceEnv, addIssue: (path: string, message: string) => void): void {
  if (env.SMS_PROVIDER !== 'aliyun') {
    const account = (['ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET', 'ALIYUN_REPORT_ALLOWED_IPS'] as const).filter(
      (name) => env[name] !== undefined,
    );
    if (account.length > 0) addIssue(account[0] as string, `${account.join(', ')} set but SMS_PROVIDER is not aliyun`);
  }
  const given = VOICE_VARS.filter((name) => env[name] !== undefined);
  if (given.length === 0) return;
  if (env.ALIYUN_VOICE_SHOW_NUMBER === undefined) {
    addIssue('ALIYUN_VOICE_SHOW_NUMBER', `is required with ${given.join(', ')}`);
  }
  if (env.ALIYUN_VOICE_TTS_TEMPLATE === undefined) {
    addIssue('ALIYUN_VOICE_TTS_TEMPLATE', `is required with ${given.join(', ')}`);
  }
  if (env.SMS_PROVIDER !== 'aliyun') {
    addIssue(
      given[0] as string,
      'voice notifications go through the Alibaba Cloud account: set SMS_PROVIDER=aliyun and its ALIYUN_* settings',
    );
  }
}

/** The voice settings of a validated environment, or null when voice notifications go to the outbox. */
export function aliyunVoiceConfigOf(env: VoiceEnv): AliyunVoiceConfig | null {
  const { ALIYUN_ACCESS_KEY_ID: id, ALIYUN_ACCESS_KEY_SECRET: secret } = env;
  const { ALIYUN_VOICE_SHOW_NUMBER: showNumber, ALIYUN_VOICE_TTS_TEMPLATE: ttsTemplate } = env;
  if (env.SMS_PROVIDER !== 'aliyun' || !id || !secret || !showNumber || !ttsTemplate) return null;
  const endpoint = env.ALIYUN_VOICE_ENDPOINT ? ENDPOINT.exec(env.ALIYUN_VOICE_ENDPOINT) : null;
  return {
    accessKeyId: id,
    accessKeySecret: secret,
    showNumber,
    ttsTemplate,
    regionId: env.ALIYUN_REGION,
    endpoint: endpoint?.[2],
    protocol: endpoint?.[1] === 'http' ? 'http' : 'https',
    reportToken: env.ALIYUN_VOICE_REPORT_TOKEN ?? null,
    reportAllowedIps: env.ALIYUN_REPORT_ALLOWED_IPS ?? [],
  };
}
