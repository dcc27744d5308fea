/**
 * Whether trying the same message again later may succeed (`retryable`) or never will
 * (`permanent`).
 */
export type SmsFailureKind = 'retryable' | 'permanent';

/** Why a message was not accepted or not delivered, in our words rather than a provider's codes. */
export type SmsFailureReason =
  | 'rate-limited'
  | 'provider-error'
  | 'timeout'
  | 'invalid-number'
  | 'opted-out'
  | 'country-not-enabled'
  | 'unreachable'
  | 'unknown';

/** A failed send or delivery. */
export interface SmsFailure {
  kind: SmsFailureKind;
  reason: SmsFailureReason;
  /** For logs and the console; never contains the phone number or the message body. */
  message: string;
  /**
   * True when the provider may have accepted the message even though we saw a failure
   * (a timeout, a dropped connection, a 5xx after the request was sent). Check with
   * {@link SmsSender.lookup} or wait for the status callback before sending again.
   */
  isAmbiguous: boolean;
  /** The provider's own error code, when it gave one (e.g. Twilio `21610`). */
  providerCode?: number;
}

/** One text message to send. */
export interface SendSmsRequest {
  /** Recipient in E.164 form, e.g. `+8613800138000`. */
  to: string;
  /** The rendered text (see `renderSms` in `@affection/core` messages). */
  body: string;
  /** Where the provider reports delivery (queued → sent → delivered, or failed). */
  statusCallbackUrl?: string;
  /**
   * Stable key of this message (the outbox row id). Adapters pass it to the provider where the
   * provider supports it, so a status callback can be matched to the row even when the send
   * itself timed out.
   */
  idempotencyKey: string;
}

/** The answer to {@link SmsSender.send}. */
export type SendSmsResult = { ok: true; providerId: string } | { ok: false; failure: SmsFailure };

/** Where a message stands at the provider. */
export type SmsDeliveryState = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'canceled';

/** A message as the provider sees it. */
export interface SmsProviderStatus {
  providerId: string;
  state: SmsDeliveryState;
  /** Present when `state` is `undelivered` or `failed`. */
  failure?: SmsFailure;
}

/** Why a lookup gave no status: the provider does not know the id, or the lookup itself failed. */
export interface SmsLookupFailure {
  kind: SmsFailureKind;
  reason: SmsFailureReason | 'not-found';
  message: string;
}

/** The answer to {@link SmsSender.lookup}. */
export type SmsLookupResult = { ok: true; status: SmsProviderStatus } | { ok: false; failure: SmsLookupFailure };

/**
 * Sends text messages through a provider. Expected failures are values, never thrown.
 *
 * @example
 * const result = await sms.send({ to: '+8613800138000', body, idempotencyKey: 'sms_123' });
 * if (!result.ok && result.failure.kind === 'retryable') scheduleRetry();
 */
export interface SmsSender {
  send(request: SendSmsRequest): Promise<SendSmsResult>;
  /** The provider's current status of a message sent earlier. */
  lookup(providerId: string): Promise<SmsLookupResult>;
}
