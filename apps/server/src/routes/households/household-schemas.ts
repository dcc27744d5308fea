import { z } from '@hono/zod-openapi';
import { ChildSchema } from '../children/child-schemas.ts';
import { textOf } from '../common-schemas.ts';
import { ContactSummarySchema } from '../contacts/contact-schemas.ts';

/** A household (siblings and the people who call them) as the API shows it. */
export const HouseholdSchema = z
  .object({
    id: z.string().openapi({ example: 'hsh_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '王家' }),
    createdAt: z.string().datetime(),
    archivedAt: z.string().datetime().nullable(),
  })
  .openapi('Household');

/** A household with its children and contacts (numbers masked). */
export const HouseholdDetailSchema = HouseholdSchema.extend({
  children: z.array(ChildSchema),
  contacts: z.array(ContactSummarySchema),
}).openapi('HouseholdDetail');

/** Body of `POST /api/households` and `PATCH /api/households/{id}`. */
export const HouseholdNameSchema = z
  .object({ name: textOf(40).openapi({ example: '王家' }) })
  .strict()
  .openapi('HouseholdName');
