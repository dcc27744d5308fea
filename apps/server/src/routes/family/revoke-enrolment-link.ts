import { AppError } from '@affection/core';
import { revokeFamilyEnrolment } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toEnrolmentLinkDto } from './family-dto.ts';
import { EnrolmentLinkSchema } from './family-schemas.ts';
import { signOutPhonesOfLink } from './sign-out-link-phones.ts';

const RevokedEnrolmentLinkSchema = EnrolmentLinkSchema.extend({
  signedOutPhones: z.number().int().openapi({ description: 'Phones this link had signed in, now signed out' }),
}).openapi('RevokedEnrolmentLink');

export const route = createRoute({
  method: 'post',
  path: '/api/family-enrolments/{id}/revoke',
  tags: ['family'],
  summary: 'Revoke an enrolment link (a lost contact card): it enrols no more phones and signs out those it did',
  description:
    'The phones this link signed in are signed out at once (`signedOutPhones` says how many); phones the ' +
    'contact signed in by SMS code or with another link keep working. Revoking twice keeps the first time.',
  request: { params: idParam('fen') },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: RevokedEnrolmentLinkSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/family-enrolments/{id}/revoke` (teacher): links of the caller's Home's contacts only. */
export function registerRevokeEnrolmentLink(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const at = now();
    const link = await revokeFamilyEnrolment(database.db, staff.homeId, id, at);
    if (!link) throw new AppError('not-found', 'No such enrolment link in your Home.');
    const signedOut = await signOutPhonesOfLink(database.db, staff.homeId, link, at);
    await audit(c, 'family.enrolment-link.revoke', 'contact', link.contactId, {
      enrolmentId: link.id,
      signedOutDeviceIds: signedOut,
    });
    return c.json({ ...toEnrolmentLinkDto(link, at), signedOutPhones: signedOut.length }, 200);
  });
}
