import type { SmsProviderStatus } from '@affection/core';
import { smsFailureFromTwilioCode } from './twilio-errors.ts';
import { deliveryStateFromTwilioStatus } from './twilio-sms-sender.ts';

/** A message status callback from Twilio, in our words. */
export interface TwilioStatusUpdate {
  status: SmsProviderStatus;
  /** The idempotency key {@link TwilioSmsSender} put on the callback URL, if present. */
  idempotencyKey: string | undefined;
}

/**
 * Reads a (signature-checked) Twilio message status callback: form fields `MessageSid`,
 * `MessageStatus`, `ErrorCode`, and the URL it was posted to. `undefined` when the fields are
 * not a status callback for an outbound message.
 *
 * @example parseTwilioStatusCallback({ url, params: { MessageSid: 'SM…', MessageStatus: 'failed', ErrorCode: '30003' } })
 */
export function parseTwilioStatusCallback(input: {
  url: string;
  params: Readonly<Record<string, string | undefined>>;
  /** Default `idempotencyKey`, as in {@link TwilioSmsSenderOptions.callbackKeyParam}. */
  callbackKeyParam?: string;
}): TwilioStatusUpdate | undefined {
  const sid = input.params.MessageSid ?? input.params.SmsSid;
  const twilioStatus = input.params.MessageStatus ?? input.params.SmsStatus;
  if (!sid || !twilioStatus) return undefined;
  const state = deliveryStateFromTwilioStatus(twilioStatus);
  if (!state) return undefined;
  const code = input.params.ErrorCode ? Number(input.params.ErrorCode) : undefined;
  const hasFailed = state === 'failed' || state === 'undelivered';
  const idempotencyKey = new URL(input.url).searchParams.get(input.callbackKeyParam ?? 'idempotencyKey') ?? undefined;
  return {
    status: {
      providerId: sid,
      state,
      ...(hasFailed ? { failure: smsFailureFromTwilioCode(Number.isFinite(code) ? code : undefined) } : {}),
    },
    idempotencyKey,
  };
}
