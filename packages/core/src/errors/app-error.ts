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

/** Options for {@link AppError}. */
export interface AppErrorOptions {
  /** i18n key of the message a person sees; default `error.<code>`. */
  userMessageKey?: string;
  /** Whether trying again later may succeed. Default false. */
  retryable?: boolean;
  /** Details a client can act on (e.g. per-field problems); never personal data. */
  details?: unknown;
  cause?: unknown;
}

/**
 * An unexpected failure with a closed `code`. Expected outcomes (a slot already taken) are
 * values, not errors.
 *
 * @example throw new AppError('not-found', 'No such child')
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessageKey: string;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessageKey = options.userMessageKey ?? `error.${code}`;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** True for an {@link AppError} (also across module copies). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError || (value instanceof Error && value.name === 'AppError' && 'code' in value);
}
