import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { homes } from './homes.ts';
import { contacts } from './people.ts';

/**
 * A contact's phone PIN: the second factor the voice menu asks for before it bridges a caller into a
 * call with a child (caller ID alone is easy to fake). Its own table, not columns of `contacts`, so
 * that the hash never travels with a contact row. Only an argon2id hash is kept. The wrong-PIN
 * counter lives here too, so that the limit holds across calls and server restarts.
 */
export const contactVoicePins = pgTable(
  'contact_voice_pins',
  {
    contactId: text('contact_id')
      .primaryKey()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    /** argon2id of the 4–6 digits. */
    pinHash: text('pin_hash').notNull(),
    /** Who set it: staff (the contact card) or the contact's own signed-in phone. */
    setByKind: text('set_by_kind', { enum: ['staff', 'family'] }).notNull(),
    /** `stf_…` or `cnt_…`. */
    setById: text('set_by_id').notNull(),
    setAt: instant('set_at').notNull(),
    /** PIN tries since the counting window began (each try counts until it proves right). */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastFailedAt: instant('last_failed_at'),
    /** Until when the voice menu asks for no PIN (after too many wrong ones); the cooldown. */
    lockedUntil: instant('locked_until'),
  },
  (t) => [
    index('contact_voice_pins_home_idx').on(t.homeId),
    check('contact_voice_pins_set_by_kind', sql`${t.setByKind} in ('staff','family')`),
    check('contact_voice_pins_failed_attempts', sql`${t.failedAttempts} >= 0`),
  ],
);
