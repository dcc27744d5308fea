import { type Db, listChildren, listPairingsOfHome, listStaff } from '@affection/db';
import { z } from '@hono/zod-openapi';
import { idOf } from '../common-schemas.ts';
import { type PairingWarning, pairingWarnings } from './pairing-warnings.ts';

/** More children than any Home has: the board is not paged. */
const MAX_CHILDREN = 5000;

/** A warning on the pairing board; `pairing.<code>` is its message key in the catalogs. */
export const PairingWarningSchema = z
  .union([
    z.object({ code: z.literal('teacher-over-3'), staffId: z.string(), count: z.number().int() }),
    z.object({ code: z.literal('child-unpaired'), childId: z.string() }),
  ])
  .openapi('PairingWarning');

/** A child as the board shows it. */
const BoardChildSchema = z.object({
  childId: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  className: z.string().nullable(),
});

/** Every teacher with their children, the children nobody has, and the warnings. */
export const PairingBoardSchema = z
  .object({
    teachers: z.array(
      z.object({
        staffId: z.string(),
        displayName: z.string(),
        role: z.enum(['admin', 'teacher']),
        active: z.boolean(),
        children: z.array(BoardChildSchema.extend({ pairingId: z.string(), archived: z.boolean() })),
      }),
    ),
    unpairedChildren: z.array(BoardChildSchema),
    warnings: z.array(PairingWarningSchema),
  })
  .openapi('PairingBoard');

/** A pairing as the API shows it. */
export const PairingSchema = z
  .object({
    id: z.string().openapi({ example: 'par_7m2k9x4q1b8c0d5e' }),
    staffId: z.string(),
    childId: z.string(),
    createdAt: z.string().datetime(),
  })
  .openapi('Pairing');

/** Body of `POST /api/pairings`. */
export const CreatePairingSchema = z
  .object({ staffId: idOf('stf'), childId: idOf('chd') })
  .strict()
  .openapi('CreatePairing');

/** The shape the routes answer with. */
export function toPairingDto(pairing: {
  id: string;
  staffId: string;
  childId: string;
  createdAt: Date;
}): z.infer<typeof PairingSchema> {
  return {
    id: pairing.id,
    staffId: pairing.staffId,
    childId: pairing.childId,
    createdAt: pairing.createdAt.toISOString(),
  };
}

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

/** The warnings that concern one teacher or one child. */
export function warningsAbout(
  warnings: readonly PairingWarning[],
  who: { staffId: string; childId: string },
): PairingWarning[] {
  return warnings.filter((w) => (w.code === 'teacher-over-3' ? w.staffId === who.staffId : w.childId === who.childId));
}
