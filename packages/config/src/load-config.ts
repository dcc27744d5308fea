import path from 'node:path';
import { type AliyunSmsConfig, aliyunSmsConfigOf, smsProviderOf } from './aliyun-sms-config.ts';
import { type AliyunVoiceConfig, aliyunVoiceConfigOf } from './aliyun-voice-config.ts';
import { type Env, EnvSchema } from './config-schema.ts';

/** Settings for the optional SMS provider; `null` means the database outbox. */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string | undefined;
  messagingServiceSid: string | undefined;
}

/** LiveKit connection; `null` in {@link AppConfig} means "not configured". */
export interface LivekitConfig {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** The SIP trunks LiveKit uses with the carrier (`npm run telephony:provision` sets them up). */
export interface SipTrunksConfig {
  /** The trunk LiveKit rings parents' phones through. */
  outbound: {
    /** The carrier's SIP host, e.g. `affection.pstn.twilio.com`. */
    address: string;
    /** The number calls come from (E.164). */
    number: string;
    /** Trunk credentials, when the carrier asks for them. */
    auth: { username: string; password: string } | null;
  };
  /** The Home's numbers whose calls reach LiveKit; `null` = no inbound trunk. */
  inbound: {
    numbers: string[];
    /** CIDR blocks allowed to call in; empty = any address (then rely on the carrier's own checks). */
    allowedAddresses: string[];
  } | null;
}

/** What SMS to one country may carry (the shape of core's `SmsCountryPolicy`). */
export interface SmsPolicyConfig {
  allowsLinks: boolean;
  allowsReplies: boolean;
}

/** `SMS_COUNTRY_POLICIES`: policies over the defaults, by calling code (no plus), and for every other country. */
export interface SmsPolicyOverrides {
  byCallingCode: Record<string, SmsPolicyConfig>;
  /** `undefined` = the default for other countries. */
  fallback: SmsPolicyConfig | undefined;
}

/** The configuration the apps run on, derived from the environment. */
export interface AppConfig {
  port: number;
  host: string;
  /** Absolute path. */
  dataDir: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  livekit: LivekitConfig | null;
  /** `LIVEKIT_NODE_IP`: the media address of the LiveKit `npm start` starts on a LAN; undefined = found by itself. */
  livekitNodeIp: string | undefined;
  /**
   * The host (and optional `:port`, `;params`) of LiveKit's SIP service, without `sip:`: the voice
   * menu dials `sip:<room>@<livekitSipHost>`. Undefined = joining by phone is not offered.
   */
  livekitSipHost: string | undefined;
  /** SIP trunk settings; `null` when not configured. */
  sip: SipTrunksConfig | null;
  twilio: TwilioConfig | null;
  /** Which provider sends SMS (SMS_PROVIDER; unset: Twilio when TWILIO_* is set, else the outbox). */
  smsProvider: 'outbox' | 'twilio' | 'aliyun';
  /** Alibaba Cloud SMS, when SMS_PROVIDER=aliyun. */
  aliyunSms: AliyunSmsConfig | null;
  /** Alibaba Cloud voice notifications; `null`: they are kept in the outbox (rows only). */
  aliyunVoice: AliyunVoiceConfig | null;
  /** `SMS_COUNTRY_POLICIES` laid over the core's defaults by the runtime; `null` = the defaults. */
  smsPolicies: SmsPolicyOverrides | null;
  /** The admin sees parents' sign-in codes in the outbox (`OUTBOX_SHOWS_SIGN_IN_CODES`; never in production). */
  outboxShowsSignInCodes: boolean;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  /** The bearer token `GET /metrics` requires (`METRICS_TOKEN`); `null` = `/metrics` answers 404. */
  metricsToken: string | null;
  nodeEnv: Env['NODE_ENV'];
}

/** One problem found in the environment. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by {@link loadConfig} with every problem at once. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Validates an environment (usually `process.env`, passed in by an app's `env.ts`) and
 * derives the app configuration. Throws {@link ConfigError} listing every problem.
 *
 * @example loadConfig({ PORT: '8080' }).publicUrl === 'http://localhost:8080'
 */
export function loadConfig(source: Record<string, string | undefined>, cwd = '.'): AppConfig {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(cwd, env.DATA_DIR),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    livekit:
      env.LIVEKIT_URL && env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET
        ? { url: env.LIVEKIT_URL, apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET }
        : null,
    livekitNodeIp: env.LIVEKIT_NODE_IP,
    livekitSipHost: env.LIVEKIT_SIP_URI?.replace(/^sip:/, ''),
    sip:
      env.SIP_OUTBOUND_ADDRESS && env.SIP_OUTBOUND_NUMBER
        ? {
            outbound: {
              address: env.SIP_OUTBOUND_ADDRESS,
              number: env.SIP_OUTBOUND_NUMBER,
              auth:
                env.SIP_OUTBOUND_USERNAME && env.SIP_OUTBOUND_PASSWORD
                  ? { username: env.SIP_OUTBOUND_USERNAME, password: env.SIP_OUTBOUND_PASSWORD }
                  : null,
            },
            inbound: env.SIP_INBOUND_NUMBERS
              ? { numbers: env.SIP_INBOUND_NUMBERS, allowedAddresses: env.SIP_INBOUND_ALLOWED_ADDRESSES ?? [] }
              : null,
          }
        : null,
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
        ? {
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            from: env.TWILIO_FROM,
            messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
          }
        : null,
    smsProvider: smsProviderOf(env, Boolean(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN)),
    aliyunSms: aliyunSmsConfigOf(env),
    aliyunVoice: aliyunVoiceConfigOf(env),
    smsPolicies: env.SMS_COUNTRY_POLICIES ? smsPolicyOverridesOf(env.SMS_COUNTRY_POLICIES) : null,
    outboxShowsSignInCodes:
      env.NODE_ENV !== 'production' &&
      (env.OUTBOX_SHOWS_SIGN_IN_CODES ??
        (env.TWILIO_ACCOUNT_SID || env.SMS_PROVIDER === 'aliyun' ? 'false' : 'true')) === 'true',
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY === 'true',
    metricsToken: env.METRICS_TOKEN ?? null,
    nodeEnv: env.NODE_ENV,
  };
}

/** Reads validated `SMS_COUNTRY_POLICIES` entries (`86=none`, `*=links`). */
function smsPolicyOverridesOf(entries: string[]): SmsPolicyOverrides {
  const overrides: SmsPolicyOverrides = { byCallingCode: {}, fallback: undefined };
  for (const entry of entries) {
    const [code = '', allowed = ''] = entry.split('=');
    const policy = { allowsLinks: allowed.includes('links'), allowsReplies: allowed.includes('replies') };
    if (code === '*') overrides.fallback = policy;
    else overrides.byCallingCode[code] = policy;
  }
  return overrides;
}
