import { KIOSK_AUDIO_STATES } from '@affection/core';
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, instant, wallTime } from './columns.ts';

const HHMM = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

/**
 * The district every Home made before districts existed belongs to, and every Home made without naming one
 * (migration 0010 creates it as 默认区县).
 */
export const DEFAULT_DISTRICT_ID = 'dst_0000000000000000';

/** A district (county): the Homes one installation runs for a county's education bureau, with its district admins. */
export const districts = pgTable('districts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/** A Left-behind Children's Home: the unit every other record belongs to. */
export const homes = pgTable(
  'homes',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The district whose admins see and run this Home. */
    districtId: text('district_id')
      .notNull()
      .default(DEFAULT_DISTRICT_ID)
      .references(() => districts.id),
    /** IANA zone that decides opening hours. */
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    slotMinutes: integer('slot_minutes').notNull().default(15),
    bufferMinutes: integer('buffer_minutes').notNull().default(5),
    weeklyQuotaPerChild: integer('weekly_quota_per_child').notNull().default(1),
    bookingHorizonDays: integer('booking_horizon_days').notNull().default(14),
    minNoticeMinutes: integer('min_notice_minutes').notNull().default(60),
    noContactAlertDays: integer('no_contact_alert_days').notNull().default(14),
    /** Minutes a parent may take to join a "call now" before their phone is rung. */
    parentJoinWaitMinutes: integer('parent_join_wait_minutes').notNull().default(2),
    /** Minutes the kiosk's waiting screen waits for a parent before it tells the child kindly and the board. */
    kioskWaitMinutes: integer('kiosk_wait_minutes').notNull().default(3),
    /** The Home's own registered SMS signature (签名) for mainland numbers; null for the configured default. */
    smsSignName: text('sms_sign_name'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('homes_district_idx').on(t.districtId),
    check('homes_slot_minutes_range', sql`${t.slotMinutes} between 1 and 120`),
    check('homes_buffer_minutes_range', sql`${t.bufferMinutes} between 0 and 60`),
    check('homes_quota_range', sql`${t.weeklyQuotaPerChild} between 0 and 14`),
    check('homes_horizon_range', sql`${t.bookingHorizonDays} between 1 and 90`),
    check('homes_notice_range', sql`${t.minNoticeMinutes} between 0 and 10080`),
    check('homes_alert_days_range', sql`${t.noContactAlertDays} between 1 and 365`),
    check('homes_parent_join_wait_range', sql`${t.parentJoinWaitMinutes} between 1 and 30`),
    check('homes_kiosk_wait_range', sql`${t.kioskWaitMinutes} between 1 and 30`),
  ],
);

/** A kiosk (touch screen) in a Home; a device enrols with a one-time code and then holds a token. */
export const kiosks = pgTable(
  'kiosks',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** sha256 of the one-time enrolment code; cleared once used. */
    enrolmentCodeHash: text('enrolment_code_hash'),
    enrolmentExpiresAt: instant('enrolment_expires_at'),
    /** sha256 of the device token held by the enrolled kiosk. */
    deviceTokenHash: text('device_token_hash').unique(),
    enrolledAt: instant('enrolled_at'),
    revokedAt: instant('revoked_at'),
    /** When the enrolled kiosk last reached the server (any request with its token). */
    lastSeenAt: instant('last_seen_at'),
    /** The kiosk app's version, as it last reported it. */
    appVersion: text('app_version'),
    /** Whether the kiosk could play sound, as it last reported: ok, no-output, locked; null when never reported. */
    audioState: text('audio_state', { enum: KIOSK_AUDIO_STATES }),
    audioCheckedAt: instant('audio_checked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('kiosks_home_idx').on(t.homeId),
    check('kiosks_audio_state', sql`${t.audioState} in ('ok', 'no-output', 'locked')`),
  ],
);

/** Weekly opening hours, in the Home's zone. */
export const openingRules = pgTable(
  'opening_rules',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id, { onDelete: 'cascade' }),
    /** ISO weekday, Monday = 1. */
    weekday: smallint('weekday').notNull(),
    startTime: wallTime('start_time').notNull(),
    endTime: wallTime('end_time').notNull(),
  },
  (t) => [
    index('opening_rules_home_idx').on(t.homeId),
    check('opening_rules_weekday', sql`${t.weekday} between 1 and 7`),
    check('opening_rules_times', sql`${t.startTime} ~ ${sql.raw(HHMM)} and ${t.endTime} ~ ${sql.raw(HHMM)}`),
    check('opening_rules_order', sql`${t.startTime} < ${t.endTime}`),
  ],
);

/** A dated exception: the Home is closed that day, or open at special hours (replacing the weekly rules). */
export const openingExceptions = pgTable(
  'opening_exceptions',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    closed: boolean('closed').notNull(),
    startTime: wallTime('start_time'),
    endTime: wallTime('end_time'),
    note: text('note'),
  },
  (t) => [
    index('opening_exceptions_home_date_idx').on(t.homeId, t.date),
    check(
      'opening_exceptions_shape',
      sql`(${t.closed} and ${t.startTime} is null and ${t.endTime} is null) or (not ${t.closed} and ${t.startTime} ~ ${sql.raw(HHMM)} and ${t.endTime} ~ ${sql.raw(HHMM)} and ${t.startTime} < ${t.endTime})`,
    ),
  ],
);
