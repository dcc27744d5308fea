import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, instant, wallTime } from './columns.ts';
import { districts, homes } from './homes.ts';

/**
 * A member of staff: the Home's admin or a teacher (in one Home, `district_id` null), or a district admin (in one
 * district, `home_id` null). Usernames and phone numbers are unique over the whole installation.
 */
export const staff = pgTable(
  'staff',
  {
    id: idColumn(),
    homeId: text('home_id').references(() => homes.id),
    districtId: text('district_id').references(() => districts.id),
    role: text('role', { enum: ['admin', 'teacher', 'district-admin'] }).notNull(),
    displayName: text('display_name').notNull(),
    username: text('username'),
    /** E.164. */
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: instant('password_changed_at').notNull().defaultNow(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('staff_username_unique').on(sql`lower(${t.username})`),
    uniqueIndex('staff_phone_unique').on(t.phone),
    index('staff_home_idx').on(t.homeId),
    index('staff_district_idx').on(t.districtId),
    check('staff_role', sql`${t.role} in ('admin', 'teacher', 'district-admin')`),
    check(
      'staff_scope',
      sql`(${t.role} = 'district-admin' and ${t.homeId} is null and ${t.districtId} is not null) or (${t.role} <> 'district-admin' and ${t.homeId} is not null and ${t.districtId} is null)`,
    ),
    check('staff_login_name', sql`${t.username} is not null or ${t.phone} is not null`),
    check('staff_phone_e164', sql`${t.phone} is null or ${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);

/** A signed-in staff session (the cookie holds the token; we keep its hash). */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: idColumn(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: instant('last_seen_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    /** A district admin's session only: the Home of their district they act in, with the admin's rights. */
    currentHomeId: text('current_home_id').references(() => homes.id, { onDelete: 'set null' }),
  },
  (t) => [index('staff_sessions_staff_idx').on(t.staffId)],
);

/** The weekly duty rota: who is on duty on each weekday. */
export const dutyPatterns = pgTable(
  'duty_patterns',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id, { onDelete: 'cascade' }),
    weekday: smallint('weekday').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('duty_patterns_unique').on(t.homeId, t.weekday, t.staffId),
    check('duty_patterns_weekday', sql`${t.weekday} between 1 and 7`),
  ],
);

/** A dated change to the rota: someone added to or removed from duty on one date. */
export const dutyOverrides = pgTable(
  'duty_overrides',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['add', 'remove'] }).notNull(),
  },
  (t) => [
    uniqueIndex('duty_overrides_unique').on(t.homeId, t.date, t.staffId),
    check('duty_overrides_kind', sql`${t.kind} in ('add', 'remove')`),
  ],
);

/** Siblings and the people who call them. */
export const households = pgTable(
  'households',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    /** How staff refer to the family, e.g. "王家". */
    name: text('name').notNull(),
    createdAt: createdAt(),
    archivedAt: instant('archived_at'),
  },
  (t) => [index('households_home_idx').on(t.homeId)],
);

/** A child's record (成长档案). Minors' data: the least we need. */
export const children = pgTable(
  'children',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    householdId: text('household_id')
      .notNull()
      .references(() => households.id),
    familyName: text('family_name').notNull(),
    givenName: text('given_name').notNull(),
    /** e.g. "三年级二班" */
    className: text('class_name'),
    birthYear: smallint('birth_year'),
    /**
     * Version of the child's kiosk photo (a hash of its bytes, kept in `child_photos`); null when
     * there is none. It goes into the photo's URL, so a new photo is a new URL and caches never go stale.
     */
    photoVersion: text('photo_version'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    archivedAt: instant('archived_at'),
    /** Set when the child's personal data was erased on request; the row stays for statistics. */
    erasedAt: instant('erased_at'),
  },
  (t) => [
    index('children_home_idx').on(t.homeId),
    index('children_household_idx').on(t.householdId),
    check('children_birth_year', sql`${t.birthYear} is null or ${t.birthYear} between 2000 and 2100`),
  ],
);

/** A teacher paired with a child (结对). */
export const pairings = pgTable(
  'pairings',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    childId: text('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('pairings_unique').on(t.staffId, t.childId), index('pairings_child_idx').on(t.childId)],
);

/** Someone who calls a household's children: a parent, a grandparent, another guardian. */
export const contacts = pgTable(
  'contacts',
  {
    id: idColumn(),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    householdId: text('household_id')
      .notNull()
      .references(() => households.id),
    name: text('name').notNull(),
    relation: text('relation', {
      enum: ['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other'],
    }).notNull(),
    /** E.164. */
    phone: text('phone').notNull(),
    city: text('city'),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    language: text('language', { enum: ['zh-CN', 'en'] })
      .notNull()
      .default('zh-CN'),
    channel: text('channel', { enum: ['video', 'phone'] })
      .notNull()
      .default('video'),
    /** Whether we may ring their phone when they have not joined a video call. */
    phoneFallback: boolean('phone_fallback').notNull().default(true),
    approvedBy: text('approved_by').references(() => staff.id),
    approvedAt: instant('approved_at'),
    revokedAt: instant('revoked_at'),
    consentRecordedBy: text('consent_recorded_by').references(() => staff.id),
    consentRecordedAt: instant('consent_recorded_at'),
    smsOptOut: boolean('sms_opt_out').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('contacts_home_idx').on(t.homeId),
    index('contacts_household_idx').on(t.householdId),
    index('contacts_phone_idx').on(t.phone),
    uniqueIndex('contacts_household_phone_unique').on(t.householdId, t.phone),
    check('contacts_phone_e164', sql`${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check(
      'contacts_relation',
      sql`${t.relation} in ('mother','father','grandmother','grandfather','guardian','other')`,
    ),
    check('contacts_channel', sql`${t.channel} in ('video','phone')`),
    check('contacts_language', sql`${t.language} in ('zh-CN','en')`),
    check('contacts_approval', sql`(${t.approvedAt} is null) = (${t.approvedBy} is null)`),
  ],
);

/** When a contact can take calls, weekly, in the contact's own zone. */
export const availabilityWindows = pgTable(
  'availability_windows',
  {
    id: idColumn(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    weekday: smallint('weekday').notNull(),
    startTime: wallTime('start_time').notNull(),
    endTime: wallTime('end_time').notNull(),
  },
  (t) => [
    index('availability_windows_contact_idx').on(t.contactId),
    check('availability_windows_weekday', sql`${t.weekday} between 1 and 7`),
    check(
      'availability_windows_times',
      sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`,
    ),
    check('availability_windows_order', sql`${t.startTime} < ${t.endTime}`),
  ],
);
