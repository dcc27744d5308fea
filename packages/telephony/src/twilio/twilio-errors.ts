import type { SmsFailure, SmsFailureKind, SmsFailureReason } from '@affection/core';

type CodeRule = { kind: SmsFailureKind; reason: SmsFailureReason };

/**
 * Twilio error codes we know, as our failure reasons. Send errors (2xxxx) arrive in the API
 * response; delivery errors (3xxxx) usually arrive later in status callbacks.
 */
const TWILIO_CODES: Readonly<Record<number, CodeRule>> = {
  20003: { kind: 'permanent', reason: 'provider-error' }, // authentication failed
  20429: { kind: 'retryable', reason: 'rate-limited' }, // too many requests
  21211: { kind: 'permanent', reason: 'invalid-number' }, // invalid 'To' number
  21214: { kind: 'permanent', reason: 'unreachable' }, // 'To' number cannot be reached
  21408: { kind: 'permanent', reason: 'country-not-enabled' }, // permission to send to this region not enabled
  21606: { kind: 'permanent', reason: 'provider-error' }, // 'From' number cannot send SMS
  21610: { kind: 'permanent', reason: 'opted-out' }, // recipient unsubscribed (STOP)
  21612: { kind: 'permanent', reason: 'unreachable' }, // 'To' number not reachable by SMS
  21614: { kind: 'permanent', reason: 'unreachable' }, // 'To' number is not a mobile number
  21617: { kind: 'permanent', reason: 'provider-error' }, // body too long
  30001: { kind: 'retryable', reason: 'rate-limited' }, // queue overflow
  30002: { kind: 'permanent', reason: 'provider-error' }, // account suspended
  30003: { kind: 'retryable', reason: 'unreachable' }, // handset off or out of coverage: may work later
  30004: { kind: 'permanent', reason: 'unreachable' }, // blocked by the carrier or the handset (not our opt-out list)
  30005: { kind: 'permanent', reason: 'invalid-number' }, // unknown destination handset
  30006: { kind: 'permanent', reason: 'unreachable' }, // landline or unreachable carrier
  30007: { kind: 'permanent', reason: 'provider-error' }, // filtered by the carrier as spam: resending will not help
  30008: { kind: 'retryable', reason: 'unknown' }, // unknown delivery error
};

/** Strips digit runs that may be phone numbers from a vendor message: we never log personal data. */
function scrub(message: string): string {
  return message.replace(/\+?\d[\d\s-]{5,}\d/g, '…');
}

/**
 * Our failure for a Twilio error code (from an API error or a status callback's `ErrorCode`).
 * `httpStatus` decides codes we do not know: 429 rate limited, 5xx provider error (both
 * retryable), anything else permanent.
 *
 * @example smsFailureFromTwilioCode(21610).reason === 'opted-out'
 */
export function smsFailureFromTwilioCode(
  code: number | undefined,
  options: { httpStatus?: number; message?: string } = {},
): SmsFailure {
  const { httpStatus } = options;
  const detail = options.message ? `: ${scrub(options.message)}` : '';
  const label = `Twilio${code !== undefined ? ` ${code}` : ''}${httpStatus !== undefined ? ` (HTTP ${httpStatus})` : ''}${detail}`;
  const known = code !== undefined ? TWILIO_CODES[code] : undefined;
  const isServerError = httpStatus !== undefined && httpStatus >= 500;
  if (known) return { ...known, message: label, isAmbiguous: false, providerCode: code };
  if (httpStatus === 429)
    return withCode({ kind: 'retryable', reason: 'rate-limited', message: label, isAmbiguous: false }, code);
  if (isServerError)
    // A 5xx may come after Twilio accepted the message: check before sending again.
    return withCode({ kind: 'retryable', reason: 'provider-error', message: label, isAmbiguous: true }, code);
  if (httpStatus === 401 || httpStatus === 403)
    return withCode({ kind: 'permanent', reason: 'provider-error', message: label, isAmbiguous: false }, code);
  return withCode({ kind: 'permanent', reason: 'unknown', message: label, isAmbiguous: false }, code);
}

function withCode(failure: SmsFailure, code: number | undefined): SmsFailure {
  return code === undefined ? failure : { ...failure, providerCode: code };
}

/** Network error codes that mean the request never reached Twilio. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * Our failure for whatever the Twilio SDK threw: a REST error (legacy or RFC 9457 body), a
 * timeout, or a network error. Never throws.
 */
export function smsFailureFromTwilioError(error: unknown): SmsFailure {
  const value = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    code?: unknown;
    message?: unknown;
    detail?: unknown;
  };
  const message = typeof value.message === 'string' ? value.message : String(error);
  if (typeof value.status === 'number') {
    const code = typeof value.code === 'number' ? value.code : undefined;
    const text = typeof value.detail === 'string' ? value.detail : message;
    return smsFailureFromTwilioCode(code, { httpStatus: value.status, message: text });
  }
  const networkCode = typeof value.code === 'string' ? value.code : undefined;
  if ((networkCode && TIMEOUT_CODES.has(networkCode)) || /timeout/i.test(message)) {
    return {
      kind: 'retryable',
      reason: 'timeout',
      message: `Twilio did not answer in time (${networkCode ?? 'timeout'})`,
      isAmbiguous: true,
    };
  }
  if (networkCode && NOT_SENT_CODES.has(networkCode)) {
    return {
      kind: 'retryable',
      reason: 'provider-error',
      message: `Twilio could not be reached (${networkCode})`,
      isAmbiguous: false,
    };
  }
  return {
    kind: 'retryable',
    reason: 'provider-error',
    message: `Twilio request failed (${networkCode ?? scrub(message)})`,
    isAmbiguous: true,
  };
}
