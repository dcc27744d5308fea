/**
 * The closed list of failure codes. Each maps to one HTTP status in the server's error table
 * and to a message key in the zh-CN and en catalogs.
 */
export const APP_ERROR_CODES = [
  'bad-request',
  'validation-failed',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'unprocessable',
  'rate-limited',
  'payload-too-large',
  'service-unavailable',
  'internal',
] as const;

/** One of {@link APP_ERROR_CODES}. */
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];
