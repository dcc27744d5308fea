import { and, asc, eq, gt, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { oneTimeCodes } from '../schema/index.ts';

/** A one-time SMS code (验证码) as stored: only the hash of the code. */
export interface OneTimeCodeRecord {
  id: string;
  phone: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  failedAttempts: number;
}

/** What a one-time code is for. */
export type OneTimeCodePurpose = 'family-sign-in';

/**
 * Stores a new code for a number. The id is chosen first, so that the hash can include it.
 *
 * @example await createOneTimeCode(db, { id: createId('oneTimeCode'), phone, codeHash, purpose: 'family-sign-in', now, expiresAt })
 */
export async function createOneTimeCode(
  db: Db,
  input: { id: string; phone: string; codeHash: string; purpose: OneTimeCodePurpose; now: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(oneTimeCodes).values({
    id: input.id,
    phone: input.phone,
    codeHash: input.codeHash,
    purpose: input.purpose,
    createdAt: input.now,
    expiresAt: input.expiresAt,
  });
}

/** A new id for {@link createOneTimeCode}. */
export function createOneTimeCodeId(): string {
  return createId('oneTimeCode');
}

const columns = {
  id: oneTimeCodes.id,
  phone: oneTimeCodes.phone,
  codeHash: oneTimeCodes.codeHash,
  createdAt: oneTimeCodes.createdAt,
  expiresAt: oneTimeCodes.expiresAt,
  usedAt: oneTimeCodes.usedAt,
  failedAttempts: oneTimeCodes.failedAttempts,
};

/** The number's codes created at or after `since`, used and expired ones too, oldest first. */
export async function listOneTimeCodesSince(
  db: Db,
  phone: string,
  purpose: OneTimeCodePurpose,
  since: Date,
): Promise<OneTimeCodeRecord[]> {
  return db
    .select(columns)
    .from(oneTimeCodes)
    .where(and(eq(oneTimeCodes.phone, phone), eq(oneTimeCodes.purpose, purpose), gte(oneTimeCodes.createdAt, since)))
    .orderBy(asc(oneTimeCodes.createdAt), asc(oneTimeCodes.id));
}

/**
 * Uses a code up, if it is still live: true for the one request that did it, false when another
 * request used it first or it expired meanwhile (single use under concurrency).
 */
export async function useOneTimeCode(db: Db, codeId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(oneTimeCodes)
    .set({ usedAt: now })
    .where(and(eq(oneTimeCodes.id, codeId), isNull(oneTimeCodes.usedAt), gt(oneTimeCodes.expiresAt, now)))
    .returning({ id: oneTimeCodes.id });
  return rows.length === 1;
}

/** Ends every live code of a number (after a sign-in, the other codes sent to it are no use). */
export async function retireOneTimeCodes(db: Db, phone: string, purpose: OneTimeCodePurpose, now: Date): Promise<void> {
  await db
    .update(oneTimeCodes)
    .set({ usedAt: now })
    .where(and(eq(oneTimeCodes.phone, phone), eq(oneTimeCodes.purpose, purpose), isNull(oneTimeCodes.usedAt)));
}

/**
 * Counts a wrong try against the given codes; a code with `maxFailures` wrong tries is used up,
 * so that it cannot be guessed even if the try counter (Redis) were lost.
 */
export async function recordOneTimeCodeFailure(
  db: Db,
  codeIds: readonly string[],
  maxFailures: number,
  now: Date,
): Promise<void> {
  if (codeIds.length === 0) return;
  await db
    .update(oneTimeCodes)
    .set({
      failedAttempts: sql`${oneTimeCodes.failedAttempts} + 1`,
      usedAt: sql`case when ${oneTimeCodes.failedAttempts} + 1 >= ${maxFailures} then ${now.toISOString()}::timestamptz else ${oneTimeCodes.usedAt} end`,
    })
    .where(inArray(oneTimeCodes.id, [...codeIds]));
}
