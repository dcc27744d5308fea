import type { Household } from '@affection/core';
import { and, asc, count, eq, ilike, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { households } from '../schema/index.ts';

/** Creates a household (siblings and their callers) in a Home. */
export async function createHousehold(db: Db, homeId: string, input: { name: string }): Promise<Household> {
  const [row] = await db
    .insert(households)
    .values({ id: createId('household'), homeId, name: input.name })
    .returning();
  return row!;
}

/** One household of a Home, or null (also for another Home's). */
export async function getHousehold(db: Db, homeId: string, householdId: string): Promise<Household | null> {
  const [row] = await db
    .select()
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.homeId, homeId)));
  return row ?? null;
}

/** A page of a Home's households by name, with the total. */
export async function listHouseholds(
  db: Db,
  homeId: string,
  options: { search?: string; includeArchived?: boolean; limit: number; offset: number },
): Promise<{ items: Household[]; total: number }> {
  const conditions: SQL[] = [eq(households.homeId, homeId)];
  if (!options.includeArchived) conditions.push(isNull(households.archivedAt));
  const search = options.search?.trim();
  if (search) conditions.push(ilike(households.name, `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  const where = and(...conditions);
  const [items, [totalRow]] = await Promise.all([
    db
      .select()
      .from(households)
      .where(where)
      .orderBy(asc(households.name), asc(households.id))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(households).where(where),
  ]);
  return { items, total: Number(totalRow?.total ?? 0) };
}

/** Renames or archives a household; null if not in this Home. */
export async function updateHousehold(
  db: Db,
  homeId: string,
  householdId: string,
  patch: { name?: string; archivedAt?: Date | null },
): Promise<Household | null> {
  const [row] = await db
    .update(households)
    .set(patch)
    .where(and(eq(households.id, householdId), eq(households.homeId, homeId)))
    .returning();
  return row ?? null;
}
