import type { SmsMessageKind } from '../messages/sms-message.ts';
import type { SmsTemplateCall } from '../messages/sms-provider-templates.ts';

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
   * {@link SmsSender.findSent} (or wait for the status callback) before sending again.
   */
  isAmbiguous: boolean;
  /** The provider's own error code, when it gave one (e.g. Twilio `21610`). */
  providerCode?: number;
  /** How long the provider asked us to wait before trying again (an HTTP `Retry-After`), when it said. */
  retryAfterMs?: number;
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
  /**
   * The latest time the request may leave for the provider (the end of the sender's window in its claim's lease).
   * Adapters check it as late as they can, right before the request goes out, and past it answer a retryable,
   * not ambiguous failure without sending: a sender that stalled must not send after its claim was taken over.
   */
  notAfter?: Date;
  /** The kind of our message it is, when it was rendered from one of our templates. */
  kind?: SmsMessageKind;
  /**
   * The registered template and its variables, for a provider that sends only templates (Alibaba Cloud for
   * mainland numbers); others send `body`.
   */
  template?: SmsTemplateCall;
  /** The Home that sends it: a provider may sign per Home (a county registers a signature per school). */
  homeId?: string | null;
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

/** What {@link SmsSender.findSent} looks for: a message that may have gone out although its send failed. */
export interface FindSentSmsRequest {
  /** Recipient in E.164 form, as sent. */
  to: string;
  /** The text, as sent. */
  body: string;
  /** The earliest time the message can have been sent: only messages created since then match. */
  since: Date;
  /** The send's {@link SendSmsRequest.idempotencyKey}, matched by providers that keep it. */
  idempotencyKey: string;
}

/**
 * The answer to {@link SmsSender.findSent}: the provider's id of the message when it went out,
 * `null` when the provider has no such message, or why the provider could not be asked.
 */
export type FindSentSmsResult = { ok: true; providerId: string | null } | { ok: false; failure: SmsLookupFailure };

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
  /**
   * Whether the provider has a message to `to` with this body, created since `since`: asked after an
   * ambiguous failure, before sending again. Providers whose sends are never ambiguous may leave it out.
   *
   * @example
   * const found = await sms.findSent?.({ to, body, since: dueAt, idempotencyKey: 'sms_123' });
   * if (found?.ok && found.providerId) markSent(found.providerId);
   */
  findSent?(request: FindSentSmsRequest): Promise<FindSentSmsResult>;
}
