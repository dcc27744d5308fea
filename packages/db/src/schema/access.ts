import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, instant } from './columns.ts';
import { homes } from './homes.ts';
import { contacts } from './people.ts';

/** The enrolment link printed as a QR code on a contact card: long-lived and revocable. */
export const familyEnrolments = pgTable(
  'family_enrolments',
  {
    id: idColumn(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('family_enrolments_contact_idx').on(t.contactId)],
);

/** A parent's phone that signed in (by QR enrolment or one-time code). */
export const familyDevices = pgTable(
  'family_devices',
  {
    id: idColumn(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    via: text('via', { enum: ['enrolment', 'code'] }).notNull(),
    createdAt: createdAt(),
    lastSeenAt: instant('last_seen_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('family_devices_contact_idx').on(t.contactId)],
);

/** A one-time SMS code (验证码): single use, short-lived; we keep only its hash. */
export const oneTimeCodes = pgTable(
  'one_time_codes',
  {
    id: idColumn(),
    phone: text('phone').notNull(),
    codeHash: text('code_hash').notNull(),
    purpose: text('purpose', { enum: ['family-sign-in'] }).notNull(),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
  },
  (t) => [index('one_time_codes_phone_idx').on(t.phone, t.createdAt)],
);

/** Who read or changed what, and when. Details never hold personal data. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: idColumn(),
    homeId: text('home_id').references(() => homes.id),
    actorKind: text('actor_kind', { enum: ['staff', 'kiosk', 'family', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id'),
    details: jsonb('details'),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_subject_idx').on(t.subjectKind, t.subjectId),
    index('audit_events_home_at_idx').on(t.homeId, t.at),
  ],
);
