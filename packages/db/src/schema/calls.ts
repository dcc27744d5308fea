import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, instant } from './columns.ts';
import { homes, kiosks } from './homes.ts';
import { children, contacts, households, staff } from './people.ts';

/** A booked call: one kiosk, one household's children, one (or two) approved contacts, one slot. */
export const bookings = pgTable(
  'bookings',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    kioskId: text('kiosk_id')
      .notNull()
      .references(() => kiosks.id),
    householdId: text('household_id')
      .notNull()
      .references(() => households.id),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    secondContactId: text('second_contact_id').references(() => contacts.id),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at').notNull(),
    status: text('status', {
      enum: ['proposed', 'confirmed', 'in-progress', 'completed', 'missed', 'cancelled', 'declined'],
    }).notNull(),
    source: text('source', { enum: ['teacher', 'parent', 'auto', 'adhoc'] }).notNull(),
    seriesId: text('series_id'),
    /** Bumped by every change; jobs key on it. */
    version: integer('version').notNull().default(1),
    cancelReason: text('cancel_reason'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('bookings_home_start_idx').on(t.homeId, t.startAt),
    index('bookings_household_idx').on(t.householdId),
    index('bookings_contact_idx').on(t.contactId),
    check('bookings_order', sql`${t.startAt} < ${t.endAt}`),
    check(
      'bookings_status',
      sql`${t.status} in ('proposed','confirmed','in-progress','completed','missed','cancelled','declined')`,
    ),
    check('bookings_source', sql`${t.source} in ('teacher','parent','auto','adhoc')`),
    check('bookings_two_contacts', sql`${t.secondContactId} is null or ${t.secondContactId} <> ${t.contactId}`),
  ],
);

/**
 * The children on a booking. `start_at`, `end_at` and `active` mirror the booking (kept by a
 * trigger) so that an exclusion constraint can forbid a child in two overlapping bookings.
 */
export const bookingChildren = pgTable(
  'booking_children',
  {
    bookingId: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    childId: text('child_id')
      .notNull()
      .references(() => children.id),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at').notNull(),
    active: integer('active').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.childId] }), index('booking_children_child_idx').on(t.childId)],
);

/** The contacts on a booking, mirrored like {@link bookingChildren} for the exclusion constraint. */
export const bookingContacts = pgTable(
  'booking_contacts',
  {
    bookingId: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at').notNull(),
    active: integer('active').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.contactId] }), index('booking_contacts_contact_idx').on(t.contactId)],
);

/** What happened on a call, built from LiveKit webhooks, the room API and the kiosk's own report. */
export const callLogs = pgTable(
  'call_logs',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    bookingId: text('booking_id')
      .notNull()
      .unique()
      .references(() => bookings.id),
    outcome: text('outcome', { enum: ['completed', 'parent-no-show', 'child-no-show', 'failed'] }),
    startedAt: instant('started_at'),
    endedAt: instant('ended_at'),
    /** Seconds the child and a parent were in the room together. */
    overlapSeconds: integer('overlap_seconds').notNull().default(0),
    /** Join/leave periods per participant identity: no names or numbers. */
    participants: jsonb('participants').notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('call_logs_home_idx').on(t.homeId),
    check(
      'call_logs_outcome',
      sql`${t.outcome} is null or ${t.outcome} in ('completed','parent-no-show','child-no-show','failed')`,
    ),
  ],
);

/** Which children a call log is about (cleared for a child whose data was erased). */
export const callLogChildren = pgTable(
  'call_log_children',
  {
    callLogId: text('call_log_id')
      .notNull()
      .references(() => callLogs.id, { onDelete: 'cascade' }),
    childId: text('child_id')
      .notNull()
      .references(() => children.id),
    /** 1 (sad) to 5 (happy): the face the child tapped after the call. */
    mood: smallint('mood'),
  },
  (t) => [
    primaryKey({ columns: [t.callLogId, t.childId] }),
    index('call_log_children_child_idx').on(t.childId),
    check('call_log_children_mood', sql`${t.mood} is null or ${t.mood} between 1 and 5`),
  ],
);

/** A teacher's note on a child (成长日记), often after a call. */
export const diaryEntries = pgTable(
  'diary_entries',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    childId: text('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    /** The author (a teacher or the admin). */
    staffId: text('staff_id').references(() => staff.id),
    bookingId: text('booking_id').references(() => bookings.id),
    /** The day the note is about, in the Home's zone (entries written before this column: the day it was added). */
    entryDate: date('entry_date', { mode: 'string' }).notNull().default(sql`current_date`),
    text: text('text').notNull(),
    mood: smallint('mood'),
    /** From the closed list study | emotion | health | family (学习/情绪/健康/家庭). */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('diary_entries_child_idx').on(t.childId),
    index('diary_entries_child_date_idx').on(t.childId, t.entryDate),
    check('diary_entries_mood', sql`${t.mood} is null or ${t.mood} between 1 and 5`),
    check('diary_entries_tags', sql`${t.tags} <@ array['study','emotion','health','family']::text[]`),
  ],
);

/**
 * A booking's lifecycle, one row per step and booking version, written before any job exists:
 * the database is the truth, BullMQ only the trigger. A reconciler enqueues whatever is due and
 * not done, so a Redis that lost its data loses nothing.
 */
export const bookingSteps = pgTable(
  'booking_steps',
  {
    id: idColumn(),
    bookingId: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    /** e.g. confirm-sms, reminder-day-before, reminder-15m, open-room, ring-phone, fallback-ring, warn-end, close-room, decide-outcome. */
    kind: text('kind').notNull(),
    bookingVersion: integer('booking_version').notNull(),
    dueAt: instant('due_at').notNull(),
    state: text('state', { enum: ['pending', 'running', 'done', 'cancelled', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('booking_steps_unique').on(t.bookingId, t.kind, t.bookingVersion),
    index('booking_steps_state_due_idx').on(t.state, t.dueAt),
    check('booking_steps_state', sql`${t.state} in ('pending','running','done','cancelled','failed')`),
  ],
);
