import { type Db, listChildren, listPairingsOfHome, listStaff } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import type { PairingBoardSchema } from './pairing-schemas.ts';
import { pairingWarnings } from './pairing-warnings.ts';

/** More children than any Home has: the board is not paged. */
const MAX_CHILDREN = 5000;

/**
 * The Home's pairing board: active teachers (and anyone else who still has pairings) with their
 * children, active children nobody is paired with, and the warnings.
 */
export async function loadPairingBoard(db: Db, homeId: string): Promise<z.infer<typeof PairingBoardSchema>> {
  const [staff, pairings, active] = await Promise.all([
    listStaff(db, homeId),
    listPairingsOfHome(db, homeId),
    listChildren(db, homeId, { limit: MAX_CHILDREN, offset: 0 }),
  ]);
  const withPairings = new Set(pairings.map((p) => p.staffId));
  const teachers = staff
    .filter((member) => (member.role === 'teacher' && member.active) || withPairings.has(member.id))
    .map((member) => ({
      staffId: member.id,
      displayName: member.displayName,
      role: member.role,
      active: member.active,
      children: pairings
        .filter((p) => p.staffId === member.id)
        .map((p) => ({
          pairingId: p.id,
          childId: p.childId,
          familyName: p.child.familyName,
          givenName: p.child.givenName,
          className: p.child.className,
          archived: p.child.archivedAt !== null,
        })),
    }));
  const warnings = pairingWarnings({ activeChildIds: active.items.map((child) => child.id), pairings });
  const unpaired = new Set(warnings.flatMap((w) => (w.code === 'child-unpaired' ? [w.childId] : [])));
  const unpairedChildren = active.items
    .filter((child) => unpaired.has(child.id))
    .map((child) => ({
      childId: child.id,
      familyName: child.familyName,
      givenName: child.givenName,
      className: child.className,
    }));
  return { teachers, unpairedChildren, warnings };
}
