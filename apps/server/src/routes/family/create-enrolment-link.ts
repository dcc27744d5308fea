import { isContactApproved } from '@affection/core';
import { createFamilyEnrolment } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { requireContact } from '../contacts/require-contact.ts';
import { addRoute } from '../define-route.ts';
import { toEnrolmentLinkDto } from './family-dto.ts';
import { familyRefusal } from './family-errors.ts';
import { NewEnrolmentLinkSchema } from './family-schemas.ts';
import { daysAfter, ENROLMENT_LINK_TTL_DAYS, FAMILY_ENROL_PATH, MAX_ENROLMENT_LINK_DAYS } from './family-settings.ts';

const CreateEnrolmentLinkSchema = z
  .object({
    validDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_ENROLMENT_LINK_DAYS)
      .optional()
      .openapi({ description: `How long the link works unless revoked. Default ${ENROLMENT_LINK_TTL_DAYS}.` }),
  })
  .strict()
  .openapi('CreateEnrolmentLink');

export const route = createRoute({
  method: 'post',
  path: '/api/contacts/{id}/enrolment-link',
  tags: ['family'],
  summary: "A new enrolment link for the contact card's QR code",
  description:
    'Scanning it signs the parent’s phone in to the family page, with no password. It works for several ' +
    'phones of the same contact until it expires or is revoked. Only its hash is kept: the URL is shown once.',
  request: {
    params: idParam('cnt'),
    body: { required: false, content: { 'application/json': { schema: CreateEnrolmentLinkSchema } } },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: NewEnrolmentLinkSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/contacts/{id}/enrolment-link` (teacher): approved contacts of the caller's Home only. */
export function registerCreateEnrolmentLink(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const body = (c.req.valid('json') as z.infer<typeof CreateEnrolmentLinkSchema> | undefined) ?? {};
    const { database, now, settings } = c.get('services');
    const contact = await requireContact(c, staff.homeId, id);
    if (!isContactApproved(contact)) {
      throw familyRefusal(
        'conflict',
        'contact-not-approved',
        'This contact is not approved: approve them before giving them a QR code.',
      );
    }
    const at = now();
    const token = newToken();
    const link = await createFamilyEnrolment(database.db, {
      contactId: contact.id,
      tokenHash: hashToken(token),
      createdBy: staff.staffId,
      now: at,
      expiresAt: daysAfter(at, body.validDays ?? ENROLMENT_LINK_TTL_DAYS),
    });
    await audit(c, 'family.enrolment-link.create', 'contact', contact.id, { enrolmentId: link.id });
    c.header('Cache-Control', 'no-store');
    return c.json({ ...toEnrolmentLinkDto(link, at), url: `${settings.publicUrl}${FAMILY_ENROL_PATH}${token}` }, 201);
  });
}
