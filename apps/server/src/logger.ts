import { createLogger as createRuntimeLogger } from '@affection/runtime';
import type { DestinationStream, Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level, default `info`. */
  level?: string;
  /** Where JSON lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The server's logger: the runtime's one logger factory (JSON lines, the redaction list, phone numbers masked) under
 * the service name `affection-server`. Personal data must never be logged: the redaction is a safety net.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return createRuntimeLogger({
    service: 'affection-server',
    ...(options.level ? { level: options.level } : {}),
    ...(options.destination ? { destination: options.destination } : {}),
  });
}
