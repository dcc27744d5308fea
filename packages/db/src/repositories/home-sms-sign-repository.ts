import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { homes } from '../schema/index.ts';

/** A Home's own registered SMS signature (签名), or null when it uses the configured default (or is unknown). */
export async function getHomeSmsSignName(db: Db, homeId: string): Promise<string | null> {
  const [row] = await db.select({ signName: homes.smsSignName }).from(homes).where(eq(homes.id, homeId));
  return row?.signName ?? null;
}

/** Sets (or with null clears) a Home's own SMS signature. Returns false when there is no such Home. */
export async function setHomeSmsSignName(db: Db, homeId: string, signName: string | null): Promise<boolean> {
  const rows = await db
    .update(homes)
    .set({ smsSignName: signName })
    .where(eq(homes.id, homeId))
    .returning({ id: homes.id });
  return rows.length > 0;
}
