import { renderSms, type SmsCountryPolicies, type SmsLanguage, type SmsMessage } from '@affection/core';
import { type Db, insertOutgoingSms, type SmsMessageRecord } from '@affection/db';
import { smsTemplateFieldsOf } from '../sms-template-fields.ts';

/** A message of ours to store for one recipient. */
export interface RenderedSmsToStore {
  homeId: string;
  /** The Home that writes: its name signs the message, its zone marks other zones' times as local. */
  home: { name: string; timeZone: string };
  to: { phone: string; language: SmsLanguage; timeZone: string };
  message: SmsMessage;
  /** Unique across all messages: storing twice stores once. */
  dedupeKey: string;
  bookingId?: string | null;
  contactId?: string | null;
  /** Which countries allow links and replies. Default the core's defaults. */
  policies?: SmsCountryPolicies;
  /** Default `now`. */
  dueAt?: Date;
  now: Date;
}

/**
 * Renders one of our templates for its recipient and stores it as a `pending` outgoing message — the row before the
 * job. Idempotent by `dedupeKey`. The caller enqueues it (`enqueueSms`) once its transaction, if any, has committed.
 */
export async function storeRenderedSms(
  db: Db,
  sms: RenderedSmsToStore,
): Promise<{ message: SmsMessageRecord; isNew: boolean }> {
  const rendered = renderSms(sms.message, {
    recipient: sms.to,
    home: sms.home,
    ...(sms.policies ? { policies: sms.policies } : {}),
  });
  return insertOutgoingSms(db, {
    homeId: sms.homeId,
    toPhone: sms.to.phone,
    body: rendered.body,
    dedupeKey: sms.dedupeKey,
    template: sms.message.kind,
    ...smsTemplateFieldsOf(sms.message, {
      phone: sms.to.phone,
      timeZone: sms.to.timeZone,
      homeTimeZone: sms.home.timeZone,
      policies: sms.policies,
    }),
    language: sms.to.language,
    bookingId: sms.bookingId ?? null,
    contactId: sms.contactId ?? null,
    dueAt: sms.dueAt ?? sms.now,
    now: sms.now,
  });
}
