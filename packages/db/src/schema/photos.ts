import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { homes } from './homes.ts';
import { children, staff } from './people.ts';

/** Raw bytes (`bytea`): a Buffer to the driver, bytes back (PGlite answers a Uint8Array, pg a Buffer). */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => value,
});

/**
 * A child's kiosk photo: one small square picture (cropped and resized in the browser before it is
 * sent), kept in the database so that a backup holds it and an erasure removes it in the same
 * transaction. `children.photo_version` names the current one.
 */
export const childPhotos = pgTable(
  'child_photos',
  {
    childId: text('child_id')
      .primaryKey()
      .references(() => children.id, { onDelete: 'cascade' }),
    homeId: text('home_id')
      .notNull()
      .references(() => homes.id),
    /** image/jpeg, image/webp or image/png, as its first bytes say. */
    contentType: text('content_type', { enum: ['image/jpeg', 'image/webp', 'image/png'] }).notNull(),
    data: bytes('data').notNull(),
    byteSize: integer('byte_size').notNull(),
    /** A hash of the bytes; the same as `children.photo_version`. */
    version: text('version').notNull(),
    uploadedBy: text('uploaded_by').references(() => staff.id, { onDelete: 'set null' }),
    uploadedAt: instant('uploaded_at').notNull(),
  },
  (t) => [
    index('child_photos_home_idx').on(t.homeId),
    check('child_photos_content_type', sql`${t.contentType} in ('image/jpeg','image/webp','image/png')`),
    check('child_photos_byte_size', sql`${t.byteSize} > 0 and ${t.byteSize} = octet_length(${t.data})`),
  ],
);
