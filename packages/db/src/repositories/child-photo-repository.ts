import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { childPhotos, children } from '../schema/index.ts';

/** The picture formats a kiosk photo may have. */
export type ChildPhotoType = 'image/jpeg' | 'image/webp' | 'image/png';

/** A kiosk photo to keep. */
export interface NewChildPhoto {
  contentType: ChildPhotoType;
  data: Uint8Array;
  /** Who sent it (`stf_…`). */
  uploadedBy: string;
  at: Date;
}

/** A stored kiosk photo with its bytes. */
export interface ChildPhoto {
  childId: string;
  contentType: ChildPhotoType;
  data: Uint8Array;
  byteSize: number;
  /** A hash of the bytes; the child's `photoVersion`. */
  version: string;
  uploadedAt: Date;
}

/** The version of a photo: the first 16 hex digits of the SHA-256 of its bytes. */
export function photoVersionOf(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

/**
 * Keeps (or replaces) a child's kiosk photo and sets the child's `photoVersion`, in one
 * transaction; null when the child is not in this Home or was erased. Answers the new version.
 */
export async function saveChildPhoto(
  db: Db,
  homeId: string,
  childId: string,
  photo: NewChildPhoto,
): Promise<{ version: string } | null> {
  const version = photoVersionOf(photo.data);
  return db.transaction(async (tx) => {
    const [child] = await tx
      .update(children)
      .set({ photoVersion: version, updatedAt: photo.at })
      .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)))
      .returning({ id: children.id });
    if (!child) return null;
    const row = {
      homeId,
      contentType: photo.contentType,
      data: photo.data,
      byteSize: photo.data.byteLength,
      version,
      uploadedBy: photo.uploadedBy,
      uploadedAt: photo.at,
    };
    await tx
      .insert(childPhotos)
      .values({ childId, ...row })
      .onConflictDoUpdate({ target: childPhotos.childId, set: row });
    return { version };
  });
}

/**
 * Removes a child's kiosk photo: `removed` false when it had none; null when the child is not in
 * this Home or was erased.
 */
export async function removeChildPhoto(
  db: Db,
  homeId: string,
  childId: string,
  now: Date,
): Promise<{ removed: boolean } | null> {
  return db.transaction(async (tx) => {
    const [child] = await tx
      .select({ id: children.id, photoVersion: children.photoVersion })
      .from(children)
      .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)))
      .for('update');
    if (!child) return null;
    const deleted = await tx
      .delete(childPhotos)
      .where(eq(childPhotos.childId, childId))
      .returning({ id: childPhotos.childId });
    if (child.photoVersion !== null) {
      await tx.update(children).set({ photoVersion: null, updatedAt: now }).where(eq(children.id, childId));
    }
    return { removed: deleted.length > 0 };
  });
}

/** Options for {@link getChildPhoto}. */
export interface GetChildPhotoOptions {
  /** Leave out archived children (what a kiosk may see). Default false. */
  activeOnly?: boolean;
}

/** A child's kiosk photo with its bytes; null when the child has none or is not in this Home. */
export async function getChildPhoto(
  db: Db,
  homeId: string,
  childId: string,
  options: GetChildPhotoOptions = {},
): Promise<ChildPhoto | null> {
  const conditions = [eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)];
  if (options.activeOnly) conditions.push(isNull(children.archivedAt));
  const [row] = await db
    .select({
      childId: childPhotos.childId,
      contentType: childPhotos.contentType,
      data: childPhotos.data,
      byteSize: childPhotos.byteSize,
      version: childPhotos.version,
      uploadedAt: childPhotos.uploadedAt,
    })
    .from(childPhotos)
    .innerJoin(children, eq(children.id, childPhotos.childId))
    .where(and(eq(childPhotos.homeId, homeId), ...conditions));
  if (!row) return null;
  return { ...row, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
}
