import type { Child } from '@affection/core';
import { and, asc, count, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { children } from '../schema/index.ts';

/** Fields staff may set on a child. */
export interface ChildInput {
  householdId: string;
  familyName: string;
  givenName: string;
  className?: string | null;
  birthYear?: number | null;
  notes?: string | null;
}

/** Options for {@link listChildren}. */
export interface ListChildrenOptions {
  /** Matches family name, given name, full name or class. */
  search?: string;
  householdId?: string;
  /** Include archived children. Default false. */
  includeArchived?: boolean;
  limit: number;
  offset: number;
}

/** Creates a child in a Home. The household must belong to the same Home (checked by the caller). */
export async function createChild(db: Db, homeId: string, input: ChildInput): Promise<Child> {
  const [row] = await db
    .insert(children)
    .values({ id: createId('child'), homeId, ...input })
    .returning();
  return row!;
}

/** One child of a Home, or null (also for another Home's child). */
export async function getChild(db: Db, homeId: string, childId: string): Promise<Child | null> {
  const [row] = await db
    .select()
    .from(children)
    .where(and(eq(children.id, childId), eq(children.homeId, homeId)));
  return row ?? null;
}

/** A page of a Home's children, by name, with the total count. Erased children are never listed. */
export async function listChildren(
  db: Db,
  homeId: string,
  options: ListChildrenOptions,
): Promise<{ items: Child[]; total: number }> {
  const conditions: SQL[] = [eq(children.homeId, homeId), isNull(children.erasedAt)];
  if (!options.includeArchived) conditions.push(isNull(children.archivedAt));
  if (options.householdId) conditions.push(eq(children.householdId, options.householdId));
  const search = options.search?.trim();
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conditions.push(
      or(
        ilike(children.familyName, pattern),
        ilike(children.givenName, pattern),
        ilike(children.className, pattern),
        // "王小明": family name then given name, as Chinese names are written.
        ilike(sql`${children.familyName} || ${children.givenName}`, pattern),
      )!,
    );
  }
  const where = and(...conditions);
  const [items, [totalRow]] = await Promise.all([
    db
      .select()
      .from(children)
      .where(where)
      .orderBy(asc(children.familyName), asc(children.givenName), asc(children.id))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(children).where(where),
  ]);
  return { items, total: Number(totalRow?.total ?? 0) };
}

/** Updates the given fields; returns the child, or null if not in this Home. */
export async function updateChild(
  db: Db,
  homeId: string,
  childId: string,
  patch: Partial<ChildInput>,
  now: Date,
): Promise<Child | null> {
  const [row] = await db
    .update(children)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)))
    .returning();
  return row ?? null;
}

/** Archives a child (left the school): kept on record, no longer listed or bookable. */
export async function archiveChild(db: Db, homeId: string, childId: string, now: Date): Promise<Child | null> {
  const [row] = await db
    .update(children)
    .set({ archivedAt: now, updatedAt: now })
    .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)))
    .returning();
  return row ?? null;
}
