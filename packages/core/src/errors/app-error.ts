import type { AppErrorCode } from './app-error-codes.ts';
import type { ErrorMessageKey } from './error-reasons.ts';

/** Options for {@link AppError}. */
export interface AppErrorOptions {
  /** Catalog key of the message a person sees; default `error.common.<code>`. */
  userMessageKey?: ErrorMessageKey;
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
  readonly userMessageKey: ErrorMessageKey;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessageKey = options.userMessageKey ?? `error.common.${code}`;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** True for an {@link AppError} (also across module copies). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError || (value instanceof Error && value.name === 'AppError' && 'code' in value);
}
