import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields never written as they are, wherever they appear one level down (`{ contact: { phone } }`) or at the top:
 * the safety net for personal data that slips into a log call, not the rule (the rule is: don't log it).
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'phone',
  'password',
  'passwordHash',
  'token',
  '*.phone',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.code',
  '*.body',
];

/** Phone numbers anywhere in a line: E.164 (`+8613812345678`) and bare mainland mobiles (`13812345678`). */
const PHONE_IN_TEXT = /\+[1-9]\d{6,14}\b|(?<![\d.])1[3-9]\d{9}(?![\d.])/g;

/** What a phone number found in a log line becomes. */
export const MASKED_PHONE = '[phone]';

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Names the process in every line (`service`), e.g. `affection-server`, `affection-worker`. */
  service: string;
  /** pino level, default `info`. */
  level?: string;
  /** Where JSON lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The one logger factory of the server, the workers and `npm start`: JSON lines, the fields in
 * {@link REDACTED_LOG_PATHS} replaced by `[redacted]`, and every phone number left in a line (in a message, an error's
 * reason, a provider's answer) replaced by {@link MASKED_PHONE}.
 *
 * @example createLogger({ service: 'affection-worker', level: config.logLevel })
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => line.replace(PHONE_IN_TEXT, MASKED_PHONE),
      },
    },
    options.destination,
  );
}
