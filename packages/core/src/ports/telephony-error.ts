import { AppError } from '../errors/app-error.ts';
import type { AppErrorCode } from '../errors/app-error-codes.ts';

/**
 * Why a telephony provider (LiveKit, Twilio) could not do what was asked, when the failure is
 * not an expected outcome of the operation itself.
 * - `unauthorized`: the provider refused our credentials (configuration problem).
 * - `unreachable`: no answer from the provider (network, DNS, server down).
 * - `timeout`: the provider did not answer in time; the request may or may not have taken effect.
 * - `not-found`: the thing named does not exist at the provider.
 * - `invalid-request`: the provider rejected the request as malformed.
 * - `provider-error`: the provider failed on its side (5xx).
 */
export type TelephonyErrorReason =
  | 'unauthorized'
  | 'unreachable'
  | 'timeout'
  | 'not-found'
  | 'invalid-request'
  | 'provider-error';

const APP_CODE_BY_REASON: Record<TelephonyErrorReason, AppErrorCode> = {
  unauthorized: 'service-unavailable',
  unreachable: 'service-unavailable',
  timeout: 'service-unavailable',
  'not-found': 'not-found',
  'invalid-request': 'bad-request',
  'provider-error': 'service-unavailable',
};

const RETRYABLE_REASONS: ReadonlySet<TelephonyErrorReason> = new Set(['unreachable', 'timeout', 'provider-error']);

/**
 * An unexpected failure of a telephony adapter, with the vendor error already translated.
 * The vendor's own error is kept as `cause` for logs; no vendor type leaves the adapter.
 *
 * @example throw new TelephonyError('unauthorized', 'LiveKit refused the API key', { provider: 'livekit' })
 */
export class TelephonyError extends AppError {
  readonly reason: TelephonyErrorReason;
  /** Which provider failed, e.g. `livekit` or `twilio`. */
  readonly provider: string;

  constructor(reason: TelephonyErrorReason, message: string, options: { provider: string; cause?: unknown }) {
    super(APP_CODE_BY_REASON[reason], message, {
      retryable: RETRYABLE_REASONS.has(reason),
      cause: options.cause,
    });
    this.name = 'TelephonyError';
    this.reason = reason;
    this.provider = options.provider;
  }
}

/** True for a {@link TelephonyError}. */
export function isTelephonyError(value: unknown): value is TelephonyError {
  return value instanceof TelephonyError;
}
