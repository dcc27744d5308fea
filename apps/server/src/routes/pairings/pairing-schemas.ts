import { z } from '@hono/zod-openapi';
import { idOf } from '../common-schemas.ts';

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
