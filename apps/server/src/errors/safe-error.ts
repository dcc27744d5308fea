import { errorForLog, type LoggableError } from '@affection/db';

/**
 * What of an unexpected error may go into a log line: the class, our own code, the SQLSTATE or system
 * code, the constraint, table and column names, each cause's same fields, and the stack frames in our
 * own source — never a message or a stack's text (see `errorForLog` in `@affection/db`, which the jobs
 * use too).
 *
 * @example log.error({ err: safeErrorForLog(error) }, 'unexpected error')
 */
export function safeErrorForLog(error: unknown): LoggableError {
  return errorForLog(error);
}
