import { text, timestamp } from 'drizzle-orm/pg-core';

/** A UTC instant. Every time in the database is one of these; zones are applied when shown. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `created_at`, set by the database. */
export const createdAt = () => instant('created_at').notNull().defaultNow();

/** A prefixed id (`chd_…`); generated in code by `createId`. */
export const idColumn = () => text('id').primaryKey();

/** A wall-clock time of day, 'HH:MM', in a zone given elsewhere. */
export const wallTime = (name: string) => text(name);
