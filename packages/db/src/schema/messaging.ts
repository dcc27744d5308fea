import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookings } from './calls.ts';
import { createdAt, idColumn, instant } from './columns.ts';
import { homes } from './homes.ts';
import { contacts } from './people.ts';

/**
 * Every SMS, out and in. An outgoing message is a row (with its due time) before it is a job;
 * the sender claims it (pending → sending) before calling the provider.
 */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: idColumn(),
    homeId: text('home_id').references(() => homes.id),
    direction: text('direction', { enum: ['out', 'in'] }).notNull(),
    /** Dedupe key for outgoing messages, e.g. `<booking>-reminder-15m-<version>`. */
    dedupeKey: text('dedupe_key'),
    toPhone: text('to_phone').notNull(),
    fromPhone: text('from_phone'),
    body: text('body').notNull(),
    template: text('template'),
    /** The registered template and its variables, for a provider that sends only templates (`SmsTemplateCall`). */
    templateParams: jsonb('template_params').$type<{ key: string; variables: Record<string, string> }>(),
    language: text('language'),
    status: text('status', {
      enum: ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'cancelled'],
    }).notNull(),
    provider: text('provider', { enum: ['outbox', 'twilio', 'aliyun'] }),
    providerId: text('provider_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    dueAt: instant('due_at').notNull().defaultNow(),
    /** A message about a call (a reminder) is worthless once the call is over: then it is cancelled, not sent. */
    sendBefore: instant('send_before'),
    sentAt: instant('sent_at'),
    bookingId: text('booking_id').references(() => bookings.id),
    contactId: text('contact_id').references(() => contacts.id),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_messages_dedupe_unique').on(t.dedupeKey),
    uniqueIndex('sms_messages_provider_id_unique').on(t.providerId),
    index('sms_messages_status_due_idx').on(t.status, t.dueAt),
    index('sms_messages_home_idx').on(t.homeId, t.createdAt),
    // A number's recent sends, read under its lock before each send a per-number limit applies to.
    index('sms_messages_to_phone_idx').on(t.toPhone, t.updatedAt),
    check('sms_messages_direction', sql`${t.direction} in ('out','in')`),
    check(
      'sms_messages_status',
      sql`${t.status} in ('pending','sending','sent','delivered','undelivered','failed','received','cancelled')`,
    ),
  ],
);

/**
 * Every verified webhook event (LiveKit, Twilio), stored once by the provider's event id: a
 * replayed event is a no-op. Processing state lets a job pick up what was stored.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: idColumn(),
    source: text('source', {
      enum: ['livekit', 'twilio-status', 'twilio-sms', 'twilio-voice', 'aliyun-voice-report'],
    }).notNull(),
    /** The provider's id of the event (LiveKit event id, Twilio MessageSid + status, …). */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The room or message it is about. */
    subject: text('subject'),
    payload: jsonb('payload').notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
    processedAt: instant('processed_at'),
  },
  (t) => [
    uniqueIndex('webhook_events_source_event_unique').on(t.source, t.eventId),
    index('webhook_events_subject_idx').on(t.subject),
  ],
);

/**
 * Delivery reports pushed by a provider that neither signs nor deduplicates them (Alibaba Cloud SMS), stored once
 * per message and status: a report retried or pushed again stores nothing and changes nothing.
 */
export const smsReports = pgTable(
  'sms_reports',
  {
    provider: text('provider', { enum: ['aliyun'] }).notNull(),
    /** The provider's id of the message (`BizId`). */
    bizId: text('biz_id').notNull(),
    /** `delivered` or `failed`. */
    status: text('status', { enum: ['delivered', 'failed'] }).notNull(),
    /** The provider's code (`DELIVERED`, `MK:0001`, …). */
    errorCode: text('error_code'),
    /** Our message (the report's `out_id`), when it was found. */
    messageId: text('message_id').references(() => smsMessages.id, { onDelete: 'set null' }),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.bizId, t.status] }), index('sms_reports_message_idx').on(t.messageId)],
);
