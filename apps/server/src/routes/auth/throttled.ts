import { AppError } from '@affection/core';
import type { Context } from 'hono';
import type { ThrottleVerdict } from '../../auth/login-throttle.ts';
import type { AppEnv } from '../../services.ts';

/**
 * The 429 for a try the throttle refused, with `Retry-After` set on the response and
 * `details.retryAfterSeconds` in the body. Logs which limit refused it (never the login name).
 */
export function throttledError(
  c: Context<AppEnv>,
  verdict: Extract<ThrottleVerdict, { allowed: false }>,
  what: string,
): AppError {
  c.header('Retry-After', String(verdict.retryAfterSeconds));
  c.get('log').warn(
    { limit: verdict.limit, retryAfterSeconds: verdict.retryAfterSeconds },
    `${what} refused: too many tries`,
  );
  const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
  return new AppError(
    'rate-limited',
    `Too many tries. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    {
      userMessageKey: 'error.auth.login-throttled',
      retryable: true,
      details: { retryAfterSeconds: verdict.retryAfterSeconds },
    },
  );
}
