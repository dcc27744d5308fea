import type {
  Contact,
  SendSmsRequest,
  SendSmsResult,
  SmsDeliveryState,
  SmsLookupResult,
  SmsSender,
} from '@affection/core';
import {
  type Db,
  findContactsByPhone,
  findSmsByDedupeKey,
  findSmsByProviderId,
  getSmsMessage,
  insertOutgoingSms,
  markSmsAccepted,
  markSmsFailed,
  type SmsMessageRecord,
  type SmsMessageStatus,
} from '@affection/db';

/** Options for {@link OutboxSmsSender}. */
export interface OutboxSmsSenderOptions {
  /** The database the messages are stored in (the system of record). */
  db: Db;
  /** The clock; default `() => new Date()`. */
  now?: () => Date;
}

/** The provider id the outbox gives a message: `outbox_<message id>`. */
export function outboxProviderId(messageId: string): string {
  return `outbox_${messageId}`;
}

const STATE_OF_STATUS: Readonly<Record<SmsMessageStatus, SmsDeliveryState | undefined>> = {
  pending: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  cancelled: 'canceled',
  received: undefined,
};

const OPTED_OUT = 'The recipient replied STOP: no more messages to this number';

/**
 * The SMS "provider" used when no Twilio credentials are configured: each message is stored in
 * `sms_messages` (provider `outbox`, status `sent`, provider id `outbox_<id>`) and shown in the
 * console's outbox, so a newcomer sees exactly what would have been sent. Nothing leaves the
 * machine.
 *
 * The request's `idempotencyKey` names the message: when it is the id of a stored outgoing message
 * (the row the jobs layer wrote before sending), that row is marked sent; otherwise a row is stored
 * with the key as its dedupe key, so sending the same key twice stores one message. Like Twilio,
 * it refuses a number whose owner opted out (replied STOP).
 *
 * @example
 * const sms = new OutboxSmsSender({ db });
 * await sms.send({ to: '+8613800138000', body, idempotencyKey: 'sms_7m2k9x4q1b8c0d5e' });
 */
export class OutboxSmsSender implements SmsSender {
  readonly #db: Db;
  readonly #now: () => Date;

  constructor(options: OutboxSmsSenderOptions) {
    if (!options?.db) throw new Error('OutboxSmsSender: db is required');
    this.#db = options.db;
    this.#now = options.now ?? (() => new Date());
  }

  async send(request: SendSmsRequest): Promise<SendSmsResult> {
    if (!request.idempotencyKey) {
      return {
        ok: false,
        failure: {
          kind: 'permanent',
          reason: 'unknown',
          message: 'An idempotency key is required',
          isAmbiguous: false,
        },
      };
    }
    const now = this.#now();
    const contacts = await findContactsByPhone(this.#db, request.to);
    const isOptedOut = contacts.some((contact) => contact.smsOptOut);
    const message = await this.#messageFor(request, contacts, now);
    if (message.provider === 'outbox' && message.providerId && message.status !== 'failed') {
      return { ok: true, providerId: message.providerId };
    }
    if (isOptedOut) {
      await markSmsFailed(this.#db, message.id, { errorCode: 'opted-out', errorMessage: OPTED_OUT, now });
      return {
        ok: false,
        failure: { kind: 'permanent', reason: 'opted-out', message: OPTED_OUT, isAmbiguous: false },
      };
    }
    const providerId = outboxProviderId(message.id);
    const accepted = await markSmsAccepted(this.#db, message.id, { provider: 'outbox', providerId, now });
    if (accepted?.providerId !== providerId) {
      return {
        ok: false,
        failure: {
          kind: 'permanent',
          reason: 'unknown',
          message: `Message ${message.id} is ${accepted?.status ?? 'gone'} and cannot be sent`,
          isAmbiguous: false,
        },
      };
    }
    return { ok: true, providerId };
  }

  async lookup(providerId: string): Promise<SmsLookupResult> {
    const message = await findSmsByProviderId(this.#db, providerId);
    const state = message?.provider === 'outbox' ? STATE_OF_STATUS[message.status] : undefined;
    if (!message || !state) {
      return { ok: false, failure: { kind: 'permanent', reason: 'not-found', message: 'No such outbox message' } };
    }
    return {
      ok: true,
      status: {
        providerId,
        state,
        ...(state === 'failed' || state === 'undelivered'
          ? {
              failure: {
                kind: 'permanent',
                reason: message.errorCode === 'opted-out' ? 'opted-out' : 'unknown',
                message: message.errorMessage ?? 'Not sent',
                isAmbiguous: false,
              },
            }
          : {}),
      },
    };
  }

  /** The stored message the request is for: the row named by its key, or a new one. */
  async #messageFor(request: SendSmsRequest, contacts: readonly Contact[], now: Date): Promise<SmsMessageRecord> {
    const byId = await getSmsMessage(this.#db, request.idempotencyKey);
    if (byId?.direction === 'out') return byId;
    const byKey = await findSmsByDedupeKey(this.#db, request.idempotencyKey);
    if (byKey) return byKey;
    // A message sent without a stored row first: file it under the Home (and contact) the number
    // belongs to, when it belongs to exactly one, so that the Home's outbox shows it.
    const homeIds = new Set(contacts.map((contact) => contact.homeId));
    const { message } = await insertOutgoingSms(this.#db, {
      homeId: homeIds.size === 1 ? (contacts[0]?.homeId ?? null) : null,
      contactId: contacts.length === 1 ? (contacts[0]?.id ?? null) : null,
      toPhone: request.to,
      body: request.body,
      dedupeKey: request.idempotencyKey,
      status: 'sending',
      now,
    });
    return message;
  }
}
