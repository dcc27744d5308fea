import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookings } from './calls.ts';
import { createdAt, idColumn, instant } from './columns.ts';
import { homes } from './homes.ts';
import { contacts } from './people.ts';

/**
 * A text-to-speech notification call to a contact ("孩子在学校等您…"), one row per booking, contact and purpose:
 * the unique index makes it once per call however many workers try. The row is written before the provider is
 * asked (rows first), claimed (`pending` → `placing`) by one worker, and moved forward only by the provider's
 * report: placed → answered | not-answered | busy | failed. Without a provider the row itself is the record
 * (provider `outbox`), shown to staff.
 */
export const voiceNotifications = pgTable(
  'voice_notifications',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id, { onDelete: 'cascade' }),
    bookingId: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** `parent-awaited`. */
    purpose: text('purpose').notNull(),
    /** E.164, as called. */
    toPhone: text('to_phone').notNull(),
    /** `outbox` or `aliyun`. */
    provider: text('provider').notNull(),
    status: text('status', {
      enum: ['pending', 'placing', 'placed', 'answered', 'not-answered', 'busy', 'failed'],
    })
      .notNull()
      .default('pending'),
    /** The provider's call id (Aliyun `CallId`). */
    providerCallId: text('provider_call_id'),
    /** The keys the contact pressed, from the report (`1`: coming now). */
    dtmf: text('dtmf'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    /** When the provider took the call (the frequency caps count from it). */
    placedAt: instant('placed_at'),
    /** When the report came. */
    resultAt: instant('result_at'),
  },
  (t) => [
    uniqueIndex('voice_notifications_once').on(t.bookingId, t.contactId, t.purpose),
    index('voice_notifications_phone_idx').on(t.toPhone, t.placedAt),
    index('voice_notifications_call_idx').on(t.providerCallId),
    check(
      'voice_notifications_status',
      sql`${t.status} in ('pending','placing','placed','answered','not-answered','busy','failed')`,
    ),
  ],
);
