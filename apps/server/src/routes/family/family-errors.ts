import { AppError, type AppErrorCode } from '@affection/core';
import type { Context } from 'hono';
import type { AppEnv } from '../../services.ts';
import type { FamilyThrottleRefusal } from './family-throttle.ts';

/**
 * Why the family page was refused, in `details.reason`; the page shows the message
 * `error.family.<reason>` for it.
 */
export type FamilyRefusalReason =
  | 'link-invalid'
  | 'link-expired'
  | 'link-revoked'
  | 'contact-not-approved'
  | 'code-wrong'
  | 'code-expired'
  | 'too-many-codes'
  | 'code-wait'
  | 'code-locked'
  | 'too-many-tries'
  | 'too-many-links'
  | 'not-open'
  | 'ended'
  | 'cancelled'
  | 'calls-unavailable';

/** An error the family page can explain: its code, an English message for logs and tools, and the reason. */
export function familyRefusal(
  code: AppErrorCode,
  reason: FamilyRefusalReason,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError(code, message, {
    userMessageKey: `error.family.${reason}`,
    details: { reason, ...details },
  });
}

/**
 * The 429 for a refused throttle verdict, with `Retry-After` and `details.retryAfterSeconds`; for a number at its
 * code limits (`code-wait`) also `details.nextCodeAt`, the instant the next code may be asked for.
 */
export function familyThrottled(c: Context<AppEnv>, verdict: FamilyThrottleRefusal): AppError {
  c.header('Retry-After', String(verdict.retryAfterSeconds));
  c.get('log').warn(
    { reason: verdict.reason, retryAfterSeconds: verdict.retryAfterSeconds },
    'family request throttled',
  );
  if (verdict.nextCodeAt) {
    return new AppError(
      'rate-limited',
      `This number was sent codes just now. The SMS provider allows 1 code a minute, 5 an hour and 10 a day per number: the next one can be asked for at ${verdict.nextCodeAt.toISOString()}.`,
      {
        userMessageKey: `error.family.${verdict.reason}`,
        retryable: true,
        details: {
          reason: verdict.reason,
          retryAfterSeconds: verdict.retryAfterSeconds,
          nextCodeAt: verdict.nextCodeAt.toISOString(),
        },
      },
    );
  }
  const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
  return new AppError(
    'rate-limited',
    `Too many tries. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    {
      userMessageKey: `error.family.${verdict.reason}`,
      retryable: true,
      details: { reason: verdict.reason, retryAfterSeconds: verdict.retryAfterSeconds },
    },
  );
}
