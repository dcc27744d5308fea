import { z } from '@hono/zod-openapi';
import { idOf, textOf } from '../common-schemas.ts';
import { childPhotoUrlOf } from './child-photo-url.ts';

/** A child as the API shows it to staff. */
export const ChildSchema = z
  .object({
    id: z.string().openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }),
    householdId: z.string(),
    familyName: z.string().openapi({ example: '王' }),
    givenName: z.string().openapi({ example: '小明' }),
    className: z.string().nullable().openapi({ example: '三年级二班' }),
    birthYear: z.number().int().nullable().openapi({ example: 2017 }),
    hasPhoto: z.boolean(),
    photoUrl: z.string().nullable().openapi({
      example: '/api/children/chd_7m2k9x4q1b8c0d5e/photo?v=3f2a9c0d1b7e4a65',
      description: 'The kiosk photo (signed-in staff of this Home); null when there is none',
    }),
    notes: z.string().nullable(),
    archivedAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Child');

/** Body of `POST /api/children`. */
export const CreateChildSchema = z
  .object({
    householdId: idOf('hsh'),
    familyName: textOf(20),
    givenName: textOf(20),
    className: textOf(40).nullable().optional(),
    birthYear: z.number().int().min(2000).max(2100).nullable().optional(),
    notes: textOf(2000, { multiline: true }).nullable().optional(),
  })
  .strict()
  .openapi('CreateChild');

/** Body of `PATCH /api/children/{id}`: any subset of the create fields. */
export const UpdateChildSchema = CreateChildSchema.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'validation.invalid')
  .openapi('UpdateChild');

/** The shape the routes answer with. */
export function toChildDto(child: {
  id: string;
  householdId: string;
  familyName: string;
  givenName: string;
  className: string | null;
  birthYear: number | null;
  photoVersion: string | null;
  notes: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}): z.infer<typeof ChildSchema> {
  return {
    id: child.id,
    householdId: child.householdId,
    familyName: child.familyName,
    givenName: child.givenName,
    className: child.className,
    birthYear: child.birthYear,
    hasPhoto: child.photoVersion !== null,
    photoUrl: childPhotoUrlOf(child.id, child.photoVersion),
    notes: child.notes,
    archivedAt: child.archivedAt?.toISOString() ?? null,
    createdAt: child.createdAt.toISOString(),
    updatedAt: child.updatedAt.toISOString(),
  };
}
