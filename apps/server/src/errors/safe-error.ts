import { databaseErrorCode, databaseErrorConstraint } from '@affection/db';

/**
 * What of an unexpected error may go into a log line: its name, codes and the first line of its
 * message with any SQL parameters cut off (they can hold names, phone numbers and hashes).
 */
export function safeErrorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const firstLine = error.message.split('\n')[0] ?? '';
  const message = firstLine
    .replace(/\s*params:.*$/s, '')
    .replace(/'[^']*'/g, "'…'")
    .slice(0, 300);
  return {
    name: error.name,
    message,
    sqlState: databaseErrorCode(error),
    constraint: databaseErrorConstraint(error),
    stack: error.stack?.split('\n').slice(1, 6).join('\n'),
  };
}
