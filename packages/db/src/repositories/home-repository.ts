import type { Home } from '@affection/core';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { homes } from '../schema/index.ts';

/** Settings of a Home that staff may change. */
export type HomeSettings = Omit<Home, 'id' | 'createdAt'>;

/** Creates a Home; unspecified settings take the database defaults. */
export async function createHome(db: Db, input: Partial<HomeSettings> & { name: string }): Promise<Home> {
  const [row] = await db
    .insert(homes)
    .values({ id: createId('home'), ...input })
    .returning();
  return row!;
}

/** One Home, or null. */
export async function getHome(db: Db, homeId: string): Promise<Home | null> {
  const [row] = await db.select().from(homes).where(eq(homes.id, homeId));
  return row ?? null;
}

/** Every Home, oldest first. */
export async function listHomes(db: Db): Promise<Home[]> {
  return db.select().from(homes).orderBy(asc(homes.createdAt));
}

/** Changes a Home's settings. */
export async function updateHome(db: Db, homeId: string, patch: Partial<HomeSettings>): Promise<Home | null> {
  const [row] = await db.update(homes).set(patch).where(eq(homes.id, homeId)).returning();
  return row ?? null;
}
