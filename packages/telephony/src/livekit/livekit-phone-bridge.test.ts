import { ServerError, SipCallError } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { ringOutcomeFromLivekitError } from './livekit-phone-bridge.ts';

/** The error the SDK throws when the far end answers a SIP INVITE with `code`. */
function sipError(code: number, reason: string): SipCallError {
  return SipCallError.fromServerError(
    new ServerError('Bad Request', 'call failed', 400, 'failed_precondition', {
      sip_status_code: String(code),
      sip_status: reason,
    }),
  );
}

describe('ringOutcomeFromLivekitError', () => {
  it.each([
    [486, 'Busy Here', 'busy', true],
    [600, 'Busy Everywhere', 'busy', true],
    [480, 'Temporarily Unavailable', 'no-answer', true],
    [408, 'Request Timeout', 'no-answer', true],
    [487, 'Request Terminated', 'no-answer', true],
    [603, 'Decline', 'declined', false],
    [403, 'Forbidden', 'not-permitted', false],
    [404, 'Not Found', 'failed', false],
    [503, 'Service Unavailable', 'failed', true],
  ] as const)('SIP %i %s → %s', (code, reason, outcome, isRetryable) => {
    expect(ringOutcomeFromLivekitError(sipError(code, reason))).toEqual({
      outcome,
      isRetryable,
      sipStatusCode: code,
      message: `SIP ${code} ${reason}`,
    });
  });

  it('maps a server with no SIP service, no trunk, or no SIP at all to "unavailable"', () => {
    expect(
      ringOutcomeFromLivekitError(
        new ServerError('Service Unavailable', 'twirp error unknown: no response from servers', 503, 'unavailable'),
      ),
    ).toMatchObject({ outcome: 'unavailable', isRetryable: true });
    expect(
      ringOutcomeFromLivekitError(new ServerError('Not Found', 'requested sip trunk does not exist', 404, 'not_found')),
    ).toMatchObject({ outcome: 'unavailable', isRetryable: false });
    expect(
      ringOutcomeFromLivekitError(
        new ServerError(
          'Internal Server Error',
          'twirp error unknown: sip not connected (redis required)',
          500,
          'internal',
        ),
      ),
    ).toMatchObject({ outcome: 'unavailable', isRetryable: false });
  });

  it('maps other failures to "failed", retryable when the server or network failed', () => {
    expect(
      ringOutcomeFromLivekitError(new ServerError('Unauthorized', 'invalid token: eyJa.eyJb.c', 401)),
    ).toMatchObject({
      outcome: 'failed',
      isRetryable: false,
    });
    expect(ringOutcomeFromLivekitError(new ServerError('Bad Gateway', 'upstream', 502))).toMatchObject({
      outcome: 'failed',
      isRetryable: true,
    });
    expect(ringOutcomeFromLivekitError(new TypeError('fetch failed'))).toMatchObject({
      outcome: 'failed',
      isRetryable: true,
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(ringOutcomeFromLivekitError(timeout)).toMatchObject({ outcome: 'failed', isRetryable: true });
  });

  it('never echoes a token', () => {
    const result = ringOutcomeFromLivekitError(
      new ServerError('Unauthorized', 'invalid token: eyJhb.eyJzd.sig-nature', 401),
    );
    expect(result.message).not.toMatch(/eyJ/);
  });
});
