import type { DiaryEntry, DiaryTag } from '@affection/core';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { children, diaryEntries, staff } from '../schema/index.ts';

/** A diary entry with its author's display name, as the console lists it. */
export interface DiaryEntryRecord extends DiaryEntry {
  /** The author's display name; null when that member of staff is gone. */
  authorName: string | null;
}

/** What staff write in a diary entry. */
export interface DiaryEntryInput {
  /** 'YYYY-MM-DD', the day the note is about. */
  entryDate: string;
  text: string;
  mood: number | null;
  tags: DiaryTag[];
}

const recordColumns = {
  id: diaryEntries.id,
  homeId: diaryEntries.homeId,
  childId: diaryEntries.childId,
  staffId: diaryEntries.staffId,
  bookingId: diaryEntries.bookingId,
  entryDate: diaryEntries.entryDate,
  text: diaryEntries.text,
  mood: diaryEntries.mood,
  tags: diaryEntries.tags,
  createdAt: diaryEntries.createdAt,
  updatedAt: diaryEntries.updatedAt,
  authorName: staff.displayName,
};

/** True when the child is in this Home and not erased (archived children keep their diary). */
async function hasChild(db: Db, homeId: string, childId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: children.id })
    .from(children)
    .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)));
  return row !== undefined;
}

/** A child's diary, newest day first (then newest written first); null when the child is not in this Home. */
export async function listDiaryEntries(db: Db, homeId: string, childId: string): Promise<DiaryEntryRecord[] | null> {
  if (!(await hasChild(db, homeId, childId))) return null;
  return db
    .select(recordColumns)
    .from(diaryEntries)
    .leftJoin(staff, eq(staff.id, diaryEntries.staffId))
    .where(and(eq(diaryEntries.childId, childId), eq(diaryEntries.homeId, homeId)))
    .orderBy(desc(diaryEntries.entryDate), desc(diaryEntries.createdAt), desc(diaryEntries.id));
}

/** One diary entry of a Home, or null (also for another Home's entry). */
export async function getDiaryEntry(db: Db, homeId: string, entryId: string): Promise<DiaryEntryRecord | null> {
  const [row] = await db
    .select(recordColumns)
    .from(diaryEntries)
    .leftJoin(staff, eq(staff.id, diaryEntries.staffId))
    .innerJoin(children, eq(children.id, diaryEntries.childId))
    .where(and(eq(diaryEntries.id, entryId), eq(diaryEntries.homeId, homeId), isNull(children.erasedAt)));
  return row ?? null;
}

/** Writes a diary entry on a child by `staffId`; null when the child is not in this Home. */
export async function createDiaryEntry(
  db: Db,
  homeId: string,
  childId: string,
  staffId: string,
  input: DiaryEntryInput,
  now: Date,
): Promise<DiaryEntryRecord | null> {
  if (!(await hasChild(db, homeId, childId))) return null;
  const id = createId('diaryEntry');
  await db.insert(diaryEntries).values({ id, homeId, childId, staffId, ...input, createdAt: now, updatedAt: now });
  return getDiaryEntry(db, homeId, id);
}

/** Changes a diary entry (any subset of the fields); null when it is not in this Home. */
export async function updateDiaryEntry(
  db: Db,
  homeId: string,
  entryId: string,
  input: Partial<DiaryEntryInput>,
  now: Date,
): Promise<DiaryEntryRecord | null> {
  const updated = await db
    .update(diaryEntries)
    .set({ ...input, updatedAt: now })
    .where(and(eq(diaryEntries.id, entryId), eq(diaryEntries.homeId, homeId)))
    .returning({ id: diaryEntries.id });
  if (updated.length === 0) return null;
  return getDiaryEntry(db, homeId, entryId);
}

/** Deletes a diary entry for good; false when it is not in this Home. */
export async function deleteDiaryEntry(db: Db, homeId: string, entryId: string): Promise<boolean> {
  const deleted = await db
    .delete(diaryEntries)
    .where(and(eq(diaryEntries.id, entryId), eq(diaryEntries.homeId, homeId)))
    .returning({ id: diaryEntries.id });
  return deleted.length > 0;
}
