import type { SmsFailure } from '@affection/core';

/** How long to wait after a per-number or per-minute limit before trying again (the provider's minute window). */
const LIMIT_RETRY_MS = 60_000;

/**
 * A `SendSms` answer other than `OK` in our words. Limits (`isv.BUSINESS_LIMIT_CONTROL`, `isv.DAY_LIMIT_CONTROL`)
 * are retryable and rate-limited; an unknown or invalid number is permanent; a template or signature the provider
 * refuses (not approved, variables missing or illegal) is permanent — sending it again gives the same answer; a
 * system error of the provider (`isp.SYSTEM_ERROR`) may have sent the message, so it is ambiguous; anything else
 * is a permanent refusal.
 */
export function aliyunSmsFailureOf(code: string, message: string): SmsFailure {
  const text = `Alibaba Cloud SMS ${code}: ${message}`;
  if (code === 'isv.BUSINESS_LIMIT_CONTROL' || code === 'isv.DAY_LIMIT_CONTROL' || code.startsWith('Throttling'))
    return {
      kind: 'retryable',
      reason: 'rate-limited',
      message: text,
      isAmbiguous: false,
      retryAfterMs: LIMIT_RETRY_MS,
    };
  if (code === 'isv.MOBILE_NUMBER_ILLEGAL' || code === 'isv.MOBILE_COUNT_OVER_LIMIT')
    return { kind: 'permanent', reason: 'invalid-number', message: text, isAmbiguous: false };
  if (code === 'isv.AMOUNT_NOT_ENOUGH' || code === 'isv.OUT_OF_SERVICE')
    return {
      kind: 'retryable',
      reason: 'provider-error',
      message: text,
      isAmbiguous: false,
      retryAfterMs: LIMIT_RETRY_MS,
    };
  if (code.startsWith('isp.') || code === 'ServiceUnavailable' || code === 'InternalError')
    return { kind: 'retryable', reason: 'provider-error', message: text, isAmbiguous: true };
  return { kind: 'permanent', reason: 'provider-error', message: text, isAmbiguous: false };
}

/** What an error thrown by the SDK (no answer, or an HTTP error status) means for a send. */
export function aliyunThrownFailureOf(error: unknown): SmsFailure {
  const e = (error ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const detail = typeof e.message === 'string' ? e.message.split('\n')[0] : String(error);
  const text = `Alibaba Cloud SMS ${code || (typeof e.name === 'string' ? e.name : 'error')}: ${detail}`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(`${code} ${detail}`))
    // The request never reached the provider.
    return { kind: 'retryable', reason: 'unreachable', message: text, isAmbiguous: false };
  if (status === undefined || /timeout|ETIMEDOUT|ECONNRESET|socket hang up/i.test(`${code} ${detail}`))
    // Sent, and then nothing: the provider may have the message.
    return { kind: 'retryable', reason: 'timeout', message: text, isAmbiguous: true };
  if (code.startsWith('Throttling') || status === 429)
    return {
      kind: 'retryable',
      reason: 'rate-limited',
      message: text,
      isAmbiguous: false,
      retryAfterMs: LIMIT_RETRY_MS,
    };
  if (status >= 500) return { kind: 'retryable', reason: 'provider-error', message: text, isAmbiguous: true };
  // 4xx: credentials, signature of the request, parameters — the same request fails again.
  return { kind: 'permanent', reason: 'provider-error', message: text, isAmbiguous: false };
}
