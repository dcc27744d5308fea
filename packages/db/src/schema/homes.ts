import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A Left-behind Children's Home: the unit every other record belongs to. */
export const homes = pgTable(
  'homes',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** IANA zone that decides opening hours. */
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    slotMinutes: integer('slot_minutes').notNull().default(15),
    bufferMinutes: integer('buffer_minutes').notNull().default(5),
    weeklyQuotaPerChild: integer('weekly_quota_per_child').notNull().default(1),
    bookingHorizonDays: integer('booking_horizon_days').notNull().default(14),
    minNoticeMinutes: integer('min_notice_minutes').notNull().default(60),
    noContactAlertDays: integer('no_contact_alert_days').notNull().default(14),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('homes_slot_minutes_range', sql`${t.slotMinutes} between 1 and 120`),
    check('homes_buffer_minutes_range', sql`${t.bufferMinutes} between 0 and 60`),
    check('homes_quota_range', sql`${t.weeklyQuotaPerChild} between 0 and 14`),
    check('homes_horizon_range', sql`${t.bookingHorizonDays} between 1 and 90`),
    check('homes_notice_range', sql`${t.minNoticeMinutes} between 0 and 10080`),
    check('homes_alert_days_range', sql`${t.noContactAlertDays} between 1 and 365`),
  ],
);
