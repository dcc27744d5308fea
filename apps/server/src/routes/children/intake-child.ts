import { AppError, type Household } from '@affection/core';
import { createChild, createContact, createHousehold, getHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, textOf } from '../common-schemas.ts';
import { toContactSummaryDto } from '../contacts/contact-dto.ts';
import { ContactSummarySchema, CreateContactSchema } from '../contacts/contact-schemas.ts';
import { fieldProblem } from '../contacts/field-problem.ts';
import { rethrowDuplicatePhone } from '../contacts/rethrow-duplicate-phone.ts';
import { addRoute } from '../define-route.ts';
import { toHouseholdDto } from '../households/household-dto.ts';
import { HouseholdSchema } from '../households/household-schemas.ts';
import { refusals } from '../route-refusals.ts';
import { ChildSchema, CreateChildSchema, toChildDto } from './child-schemas.ts';

/** Body of `POST /api/children/intake`. */
export const IntakeChildSchema = z
  .object({
    household: z
      .object({
        id: idOf('hsh').optional().openapi({ description: 'An existing household of the Home' }),
        name: textOf(40).optional().openapi({ example: '王家', description: 'The name of a new household' }),
      })
      .strict()
      .refine((h) => (h.id === undefined) !== (h.name === undefined), 'validation.invalid')
      .openapi({ description: 'Either `id` (an existing household) or `name` (a new one), not both' }),
    child: CreateChildSchema.omit({ householdId: true }).strict(),
    contact: CreateContactSchema.omit({ householdId: true })
      .strict()
      .optional()
      .openapi({ description: 'The first contact (optional when the household already has one); not approved yet' }),
  })
  .strict()
  .openapi('IntakeChild');

export const route = createRoute({
  method: 'post',
  path: '/api/children/intake',
  tags: ['children'],
  summary: 'Add a child to a new or existing household, with a first contact, all or nothing',
  description:
    'One transaction: the household (when new), the child and the contact are made together, or none of them. ' +
    'Field problems come back at `household.name`, `child.givenName`, `contact.phone`…; a number already a contact ' +
    'of the household is `409` at `contact.phone`.',
  request: { body: { required: true, content: { 'application/json': { schema: IntakeChildSchema } } } },
  'x-refusals': refusals('contact', 'household-archived', 'phone-taken'),
  responses: {
    201: {
      description: 'Created',
      content: {
        'application/json': {
          schema: z.object({
            household: HouseholdSchema,
            householdCreated: z.boolean(),
            child: ChildSchema,
            contact: ContactSummarySchema.nullable().openapi({
              description: 'Number masked; null when none was given',
            }),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/children/intake` (teacher): a failure at any step leaves nothing made. */
export function registerIntakeChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    const made = await db.transaction(async (tx) => {
      let household: Household | null;
      if (input.household.id) {
        household = await getHousehold(tx, staff.homeId, input.household.id);
        if (!household) throw new AppError('not-found', 'No such household in your Home.');
        if (household.archivedAt) {
          throw new AppError('unprocessable', 'This household is archived; no child or contact can be added to it.', {
            userMessageKey: 'error.contact.household-archived',
            details: {
              reason: 'household-archived',
              fields: [fieldProblem('household.id', 'error.contact.household-archived')],
            },
          });
        }
      } else {
        household = await createHousehold(tx, staff.homeId, { name: input.household.name! });
      }
      const child = await createChild(tx, staff.homeId, { ...input.child, householdId: household.id });
      const contact = input.contact
        ? await createContact(tx, staff.homeId, { ...input.contact, householdId: household.id }).catch((error) => {
            try {
              rethrowDuplicatePhone(error);
            } catch (refusal) {
              if (refusal instanceof AppError && refusal.code === 'conflict') {
                throw new AppError('conflict', refusal.message, {
                  userMessageKey: 'error.contact.phone-taken',
                  details: {
                    reason: 'phone-taken',
                    fields: [fieldProblem('contact.phone', 'error.contact.phone-taken')],
                  },
                });
              }
              throw refusal;
            }
          })
        : null;
      return { household, householdCreated: !input.household.id, child, contact };
    });
    if (made.householdCreated) {
      await audit(c, 'household.create', 'household', made.household.id, { fields: ['name'] });
    }
    await audit(c, 'child.create', 'child', made.child.id, { fields: Object.keys(input.child), via: 'intake' });
    if (made.contact) {
      await audit(c, 'contact.create', 'contact', made.contact.id, {
        householdId: made.household.id,
        fields: Object.keys(input.contact ?? {}),
      });
    }
    return c.json(
      {
        household: toHouseholdDto(made.household),
        householdCreated: made.householdCreated,
        child: toChildDto(made.child),
        contact: made.contact ? toContactSummaryDto(made.contact) : null,
      },
      201,
    );
  });
}
