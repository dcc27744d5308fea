import { describe, expect, it } from 'vitest';
import { parseTwilioStatusCallback } from './twilio-status-callback.ts';

const SID = `SM${'b'.repeat(32)}`;
const URL = 'https://affection.example.cn/webhooks/twilio/sms-status?idempotencyKey=sms_7';

describe('parseTwilioStatusCallback', () => {
  it('reads a delivery and the idempotency key on the URL', () => {
    expect(parseTwilioStatusCallback({ url: URL, params: { MessageSid: SID, MessageStatus: 'delivered' } })).toEqual({
      status: { providerId: SID, state: 'delivered' },
      idempotencyKey: 'sms_7',
    });
  });

  it('maps a failed delivery with its error code', () => {
    const update = parseTwilioStatusCallback({
      url: URL,
      params: { MessageSid: SID, MessageStatus: 'undelivered', ErrorCode: '30003' },
    });
    expect(update?.status).toMatchObject({
      state: 'undelivered',
      failure: { kind: 'retryable', reason: 'unreachable', providerCode: 30003 },
    });
  });

  it('reads the older SmsSid/SmsStatus fields', () => {
    expect(parseTwilioStatusCallback({ url: URL, params: { SmsSid: SID, SmsStatus: 'sent' } })?.status.state).toBe(
      'sent',
    );
  });

  it('ignores what is not an outbound status callback', () => {
    expect(parseTwilioStatusCallback({ url: URL, params: { Body: 'hi' } })).toBeUndefined();
    expect(
      parseTwilioStatusCallback({ url: URL, params: { MessageSid: SID, MessageStatus: 'received' } }),
    ).toBeUndefined();
  });
});
