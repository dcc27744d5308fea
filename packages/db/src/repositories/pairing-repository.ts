import type { Pairing } from '@affection/core';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { databaseErrorConstraint, isUniqueViolation } from '../database-errors.ts';
import { createId } from '../ids.ts';
import { children, pairings } from '../schema/index.ts';

/** A pairing with what a list shows of its child. */
export interface PairingWithChild extends Pairing {
  child: {
    familyName: string;
    givenName: string;
    className: string | null;
    archivedAt: Date | null;
  };
}

/** Result of {@link createPairing}: an expected outcome, never an exception. */
export type CreatePairingResult = { ok: true; pairing: Pairing } | { ok: false; reason: 'already-paired' };

/**
 * Every pairing of a Home with its child's name and class, by teacher then child name. Pairings of
 * erased children are never listed (erasure deletes them anyway).
 */
export async function listPairingsOfHome(db: Db, homeId: string): Promise<PairingWithChild[]> {
  const rows = await db
    .select({
      id: pairings.id,
      homeId: pairings.homeId,
      staffId: pairings.staffId,
      childId: pairings.childId,
      createdAt: pairings.createdAt,
      familyName: children.familyName,
      givenName: children.givenName,
      className: children.className,
      archivedAt: children.archivedAt,
    })
    .from(pairings)
    .innerJoin(children, eq(children.id, pairings.childId))
    .where(and(eq(pairings.homeId, homeId), isNull(children.erasedAt)))
    .orderBy(asc(pairings.staffId), asc(children.familyName), asc(children.givenName), asc(pairings.id));
  return rows.map(({ familyName, givenName, className, archivedAt, ...pairing }) => ({
    ...pairing,
    child: { familyName, givenName, className, archivedAt },
  }));
}

/** A child's pairings (its teachers), oldest first. */
export async function listPairingsOfChild(db: Db, homeId: string, childId: string): Promise<Pairing[]> {
  return db
    .select()
    .from(pairings)
    .where(and(eq(pairings.homeId, homeId), eq(pairings.childId, childId)))
    .orderBy(asc(pairings.createdAt), asc(pairings.id));
}

/**
 * Pairs a member of staff with a child. Both must belong to `homeId` (checked by the caller); a
 * second pairing of the same two is `already-paired`.
 */
export async function createPairing(
  db: Db,
  homeId: string,
  input: { staffId: string; childId: string },
): Promise<CreatePairingResult> {
  try {
    const [row] = await db
      .insert(pairings)
      .values({ id: createId('pairing'), homeId, staffId: input.staffId, childId: input.childId })
      .returning();
    return { ok: true, pairing: row! };
  } catch (error) {
    if (isUniqueViolation(error) && databaseErrorConstraint(error) === 'pairings_unique')
      return { ok: false, reason: 'already-paired' };
    throw error;
  }
}

/** Ends a pairing; returns it, or null when there is no such pairing in this Home. */
export async function deletePairing(db: Db, homeId: string, pairingId: string): Promise<Pairing | null> {
  const [row] = await db
    .delete(pairings)
    .where(and(eq(pairings.id, pairingId), eq(pairings.homeId, homeId)))
    .returning();
  return row ?? null;
}
