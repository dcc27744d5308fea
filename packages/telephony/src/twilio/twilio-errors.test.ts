import { describe, expect, it } from 'vitest';
import { smsFailureFromTwilioCode, smsFailureFromTwilioError } from './twilio-errors.ts';

describe('smsFailureFromTwilioCode', () => {
  it.each([
    [21211, 'permanent', 'invalid-number'],
    [21408, 'permanent', 'country-not-enabled'],
    [21610, 'permanent', 'opted-out'],
    [21612, 'permanent', 'unreachable'],
    [21614, 'permanent', 'unreachable'],
    [20429, 'retryable', 'rate-limited'],
    [30003, 'retryable', 'unreachable'],
    [30004, 'permanent', 'unreachable'],
    [30005, 'permanent', 'invalid-number'],
    [30006, 'permanent', 'unreachable'],
    [30007, 'permanent', 'provider-error'],
  ] as const)('maps Twilio %i to %s %s', (code, kind, reason) => {
    expect(smsFailureFromTwilioCode(code, { httpStatus: 400 })).toMatchObject({
      kind,
      reason,
      providerCode: code,
      isAmbiguous: false,
    });
  });

  it('decides unknown codes by HTTP status', () => {
    expect(smsFailureFromTwilioCode(undefined, { httpStatus: 429 })).toMatchObject({
      kind: 'retryable',
      reason: 'rate-limited',
    });
    expect(smsFailureFromTwilioCode(20500, { httpStatus: 500 })).toMatchObject({
      kind: 'retryable',
      reason: 'provider-error',
      isAmbiguous: true,
      providerCode: 20500,
    });
    expect(smsFailureFromTwilioCode(99999, { httpStatus: 400 })).toMatchObject({
      kind: 'permanent',
      reason: 'unknown',
    });
    expect(smsFailureFromTwilioCode(undefined, { httpStatus: 401 })).toMatchObject({
      kind: 'permanent',
      reason: 'provider-error',
    });
  });

  it('keeps phone numbers out of the message', () => {
    const failure = smsFailureFromTwilioCode(21211, {
      httpStatus: 400,
      message: "The 'To' number +86 138 0013 8000 is not a valid phone number.",
    });
    expect(failure.message).not.toMatch(/138|8000/);
    expect(failure.message).toContain('21211');
  });
});

describe('smsFailureFromTwilioError', () => {
  it('reads a legacy RestException-shaped error', () => {
    const error = Object.assign(new Error('Attempt to send to unsubscribed recipient'), { status: 400, code: 21610 });
    expect(smsFailureFromTwilioError(error)).toMatchObject({
      kind: 'permanent',
      reason: 'opted-out',
      providerCode: 21610,
    });
  });

  it('reads an RFC 9457 error', () => {
    const error = Object.assign(new Error('Too Many Requests'), { status: 429, code: 20429, detail: 'slow down' });
    expect(smsFailureFromTwilioError(error)).toMatchObject({ kind: 'retryable', reason: 'rate-limited' });
  });

  it('treats timeouts and dropped connections as retryable and ambiguous', () => {
    const timeout = Object.assign(new Error('timeout of 300ms exceeded'), { code: 'ECONNABORTED' });
    expect(smsFailureFromTwilioError(timeout)).toMatchObject({
      kind: 'retryable',
      reason: 'timeout',
      isAmbiguous: true,
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(smsFailureFromTwilioError(reset)).toMatchObject({
      kind: 'retryable',
      reason: 'provider-error',
      isAmbiguous: true,
    });
  });

  it('treats a refused connection as retryable and not ambiguous: nothing was sent', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(smsFailureFromTwilioError(refused)).toMatchObject({ kind: 'retryable', isAmbiguous: false });
  });
});
