import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
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
    language: text('language'),
    status: text('status', {
      enum: ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'cancelled'],
    }).notNull(),
    provider: text('provider', { enum: ['outbox', 'twilio'] }),
    providerId: text('provider_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    dueAt: instant('due_at').notNull().defaultNow(),
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
    check('sms_messages_direction', sql`${t.direction} in ('out','in')`),
    check(
      'sms_messages_status',
      sql`${t.status} in ('pending','sending','sent','delivered','undelivered','failed','received','cancelled')`,
    ),
  ],
);
