import { z } from 'zod';
import { checkSmsProviderEnv, SMS_PROVIDER_ENV } from './aliyun-sms-config.ts';
import { ALIYUN_VOICE_ENV, checkAliyunVoiceEnv } from './aliyun-voice-config.ts';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().min(1).optional());
const optionalUrl = (protocols: readonly string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url()
      .refine((value) => protocols.some((p) => value.startsWith(`${p}:`)), {
        message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      })
      .optional(),
  );

const E164 = /^\+[1-9]\d{6,14}$/;
const HOST = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*';
const HOST_PORT = new RegExp(`^${HOST}(?::\\d{1,5})?$`);
/** A SIP host with an optional scheme, port and URI parameters: `sip:x.sip.livekit.cloud;transport=tcp`. */
const SIP_HOST = new RegExp(`^(?:sip:)?${HOST}(?::\\d{1,5})?(?:;[A-Za-z0-9-]+(?:=[A-Za-z0-9.-]+)?)*$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)$/;
/** One entry of SMS_COUNTRY_POLICIES: a calling code (1–4 digits, no plus) or `*`, and what messages may carry. */
const SMS_POLICY_ENTRY = /^(?:[1-9]\d{0,3}|\*)=(?:none|links|replies|links\+replies)$/;
const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Every environment variable the apps read, with its safe local default.
 * Unset optional services fall back to what runs on one machine: PGlite in `DATA_DIR`,
 * a Redis started by `npm start`, the database outbox instead of Twilio.
 */
export const EnvSchema = z
  .object({
    /** HTTP port of the server. Default 3000. */
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
    /** Host the server listens on. Default 127.0.0.1 (local only). */
    HOST: z.preprocess(emptyToUndefined, z.string().min(1).default('127.0.0.1')),
    /** Folder for the embedded database and the local Redis. Default `./data`. */
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().min(1).default('./data')),
    /** Address Twilio and parents reach. Default `http://localhost:$PORT`. */
    PUBLIC_URL: optionalUrl(['http', 'https']),
    /** PostgreSQL server; unset = embedded PGlite in `DATA_DIR/pglite`. */
    DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
    /** Redis server; unset = `npm start` starts its own in `DATA_DIR/redis`. */
    REDIS_URL: optionalUrl(['redis', 'rediss']),
    /** LiveKit server (ws:// or wss://); unset = `npm start` starts one in dev mode if installed. */
    LIVEKIT_URL: optionalUrl(['ws', 'wss', 'http', 'https']),
    LIVEKIT_API_KEY: optionalString,
    LIVEKIT_API_SECRET: optionalString,
    /**
     * The IPv4 address the LiveKit that `npm start` starts gives clients for media when HOST serves the LAN.
     * Unset = the machine's first LAN address.
     */
    LIVEKIT_NODE_IP: z.preprocess(
      emptyToUndefined,
      z.string().regex(IPV4, 'must be an IPv4 address such as 192.168.1.20 (an address of this machine)').optional(),
    ),
    TWILIO_ACCOUNT_SID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_AUTH_TOKEN: optionalString,
    /** Sender number in E.164 (or alphanumeric sender id). */
    TWILIO_FROM: optionalString,
    TWILIO_MESSAGING_SERVICE_SID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG followed by 32 hex digits')
        .optional(),
    ),
    ...SMS_PROVIDER_ENV,
    ...ALIYUN_VOICE_ENV,
    /**
     * Where LiveKit's SIP service answers, e.g. `sip:abc123.sip.livekit.cloud` (or just the host, with an
     * optional `:port` and `;transport=tcp`). The voice menu bridges a caller into a call by dialling
     * `sip:<room>@<host>`; unset = joining a call from the voice menu is not offered.
     */
    LIVEKIT_SIP_URI: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(SIP_HOST, 'must be a SIP host such as sip:abc123.sip.livekit.cloud (no user part, no spaces)')
        .optional(),
    ),
    /** The carrier's SIP host LiveKit dials out through, e.g. `affection.pstn.twilio.com` (Twilio Elastic SIP Trunking). */
    SIP_OUTBOUND_ADDRESS: z.preprocess(
      emptyToUndefined,
      z.string().regex(HOST_PORT, 'must be a host name (and optional :port), without sip: or a path').optional(),
    ),
    /** The number calls to parents come from (E.164, a number of the trunk). */
    SIP_OUTBOUND_NUMBER: z.preprocess(
      emptyToUndefined,
      z.string().regex(E164, 'must be an E.164 number such as +15005550006').optional(),
    ),
    /** Credentials of the outbound trunk (the trunk's credential list at the carrier); both or neither. */
    SIP_OUTBOUND_USERNAME: optionalString,
    SIP_OUTBOUND_PASSWORD: optionalString,
    /** The Home's numbers whose calls the carrier sends on to LiveKit (comma-separated E.164); unset = no inbound trunk. */
    SIP_INBOUND_NUMBERS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .transform(splitList)
        .refine((numbers) => numbers.length > 0 && numbers.every((n) => E164.test(n)), {
          message: 'must be comma-separated E.164 numbers such as +15005550006,+15005550007',
        })
        .optional(),
    ),
    /** Carrier signalling addresses allowed to call in (comma-separated CIDR blocks, e.g. Twilio's). */
    SIP_INBOUND_ALLOWED_ADDRESSES: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .transform(splitList)
        .refine((blocks) => blocks.length > 0 && blocks.every((b) => CIDR.test(b)), {
          message: 'must be comma-separated IPv4 CIDR blocks such as 54.172.60.0/30',
        })
        .optional(),
    ),
    /**
     * Whether the Home's admin sees parents' sign-in codes in the console's outbox (the local demo, where a code
     * reaches no phone). Default: on when NODE_ENV is not production and no SMS provider is configured, off
     * otherwise; always off in production. Teachers never see codes.
     */
    OUTBOX_SHOWS_SIGN_IN_CODES: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),
    /**
     * What SMS to each country may carry, over the defaults (+86: no links, no replies; elsewhere links, no replies):
     * comma-separated `<calling code>=<allowed>` where allowed is `none`, `links`, `replies` or `links+replies`, and
     * `*` names every other country. Example: `1=links+replies,44=links+replies` once a two-way sender serves them.
     */
    SMS_COUNTRY_POLICIES: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .transform(splitList)
        .refine((entries) => entries.length > 0 && entries.every((e) => SMS_POLICY_ENTRY.test(e)), {
          message:
            'must be comma-separated <calling code>=<none|links|replies|links+replies> entries, * for the rest, ' +
            'e.g. 86=none,1=links+replies,*=links',
        })
        .refine((entries) => new Set(entries.map((e) => e.split('=')[0])).size === entries.length, {
          message: 'names a calling code twice',
        })
        .optional(),
    ),
    /**
     * Bearer token that `GET /metrics` (Prometheus) requires. Unset = `/metrics` answers 404. At least 16
     * characters; send it as `Authorization: Bearer <token>`.
     */
    METRICS_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().min(16, { message: 'must be at least 16 characters (e.g. from `openssl rand -hex 24`)' }).optional(),
    ),
    /** Trust X-Forwarded-For for client addresses (only behind your own proxy). Default false. */
    TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
    /** pino level. Default info. */
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    /** production turns on Secure cookies and refuses unsafe defaults. */
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  })
  .superRefine((env, ctx) => {
    const livekit = [env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET];
    const setCount = livekit.filter((v) => v !== undefined).length;
    if (setCount !== 0 && setCount !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['LIVEKIT_URL'],
        message: 'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together: set all three or none',
      });
    }
    const twilioCreds = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN].filter((v) => v !== undefined).length;
    const hasSender = env.TWILIO_FROM !== undefined || env.TWILIO_MESSAGING_SERVICE_SID !== undefined;
    if (twilioCreds === 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_ACCOUNT_SID'],
        message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together: set both or neither',
      });
    }
    if (twilioCreds === 2 && !hasSender) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_FROM'],
        message: 'with Twilio credentials, set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID',
      });
    }
    const sipOutbound = [env.SIP_OUTBOUND_ADDRESS, env.SIP_OUTBOUND_NUMBER].filter((v) => v !== undefined).length;
    if (sipOutbound === 1) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SIP_OUTBOUND_ADDRESS === undefined ? 'SIP_OUTBOUND_ADDRESS' : 'SIP_OUTBOUND_NUMBER'],
        message: 'SIP_OUTBOUND_ADDRESS and SIP_OUTBOUND_NUMBER go together: set both or neither',
      });
    }
    if ((env.SIP_OUTBOUND_USERNAME === undefined) !== (env.SIP_OUTBOUND_PASSWORD === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIP_OUTBOUND_USERNAME'],
        message: 'SIP_OUTBOUND_USERNAME and SIP_OUTBOUND_PASSWORD go together: set both or neither',
      });
    }
    const hasSipExtras =
      env.SIP_OUTBOUND_USERNAME !== undefined ||
      env.SIP_INBOUND_NUMBERS !== undefined ||
      env.SIP_INBOUND_ALLOWED_ADDRESSES !== undefined;
    if (sipOutbound === 0 && hasSipExtras) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIP_OUTBOUND_ADDRESS'],
        message: 'SIP trunk settings are set but SIP_OUTBOUND_ADDRESS and SIP_OUTBOUND_NUMBER are not',
      });
    }
    if (env.SIP_INBOUND_ALLOWED_ADDRESSES !== undefined && env.SIP_INBOUND_NUMBERS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIP_INBOUND_ALLOWED_ADDRESSES'],
        message: 'SIP_INBOUND_ALLOWED_ADDRESSES needs SIP_INBOUND_NUMBERS',
      });
    }
    if ((sipOutbound > 0 || env.LIVEKIT_SIP_URI !== undefined) && setCount === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [sipOutbound > 0 ? 'SIP_OUTBOUND_ADDRESS' : 'LIVEKIT_SIP_URI'],
        message: 'SIP settings need LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
      });
    }
    checkSmsProviderEnv({ ...env, hasTwilio: twilioCreds === 2 && hasSender }, (path, message) =>
      ctx.addIssue({ code: 'custom', path: [path], message }),
    );
    checkAliyunVoiceEnv(env, (path, message) => ctx.addIssue({ code: 'custom', path: [path], message }));
    if (twilioCreds === 0 && hasSender) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_ACCOUNT_SID'],
        message: 'a Twilio sender is set but TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not',
      });
    }
  });

/** The raw, validated environment. */
export type Env = z.infer<typeof EnvSchema>;
