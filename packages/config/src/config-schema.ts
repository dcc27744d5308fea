import { z } from 'zod';

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
