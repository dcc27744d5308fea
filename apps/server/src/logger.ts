import pino, { type DestinationStream, type Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level, default `info`. */
  level?: string;
  /** Where JSON lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * JSON logger. Personal data (phone numbers, names, codes, tokens) must never be logged:
 * the redact list is a safety net for fields that slip through, not the rule.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'affection-server' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.phone',
          '*.password',
          '*.token',
          '*.code',
          '*.body',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
