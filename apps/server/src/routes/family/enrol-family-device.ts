import { findFamilyEnrolmentByToken } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { clientAddress } from '../../auth/client-address.ts';
import { hashToken } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { familyRefusal, familyThrottled } from './family-errors.ts';
import { FamilyDeviceTokenSchema } from './family-schemas.ts';
import { signInFamilyDevice } from './family-sign-in.ts';
import type { FamilyThrottleSource } from './family-throttle.ts';

const EnrolFamilySchema = z
  .object({
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{20,128}$/, 'validation.invalid')
      .openapi({ description: 'The last part of PUBLIC_URL/family/enrol/<token>' }),
  })
  .strict()
  .openapi('EnrolFamily');

export const route = createRoute({
  method: 'post',
  path: '/api/family/enrol',
  tags: ['family'],
  summary: "Sign a parent's phone in with the contact card's QR link",
  description:
    'Exchanges a working enrolment link for a device token. A link works for several phones of its contact. ' +
    'An unknown, expired or revoked link, or a contact no longer approved, is 401 with `details.reason` ' +
    '(`link-invalid`, `link-expired`, `link-revoked`, `contact-not-approved`); such tries are counted per ' +
    'client address, and over the limit the answer is 429 with `Retry-After`.',
  request: { body: { required: true, content: { 'application/json': { schema: EnrolFamilySchema } } } },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: FamilyDeviceTokenSchema } } },
    ...errorResponses(400, 401, 429),
  },
});

/** `POST /api/family/enrol` (public). */
export function registerEnrolFamilyDevice(app: OpenAPIHono<AppEnv>, throttleOf: FamilyThrottleSource): void {
  addRoute(app, 'public', route, async (c) => {
    const { token } = c.req.valid('json');
    const { database, redis, now } = c.get('services');
    const address = clientAddress(c);
    const throttle = throttleOf(redis);
    const verdict = await throttle.admitEnrolment(address);
    if (!verdict.allowed) throw familyThrottled(c, verdict);

    const link = await findFamilyEnrolmentByToken(database.db, hashToken(token));
    if (!link) {
      throw familyRefusal(
        'unauthenticated',
        'link-invalid',
        'This link does not work. Ask the Home for a new QR code.',
      );
    }
    if (link.revokedAt) {
      throw familyRefusal('unauthenticated', 'link-revoked', 'This QR code was withdrawn. Ask the Home for a new one.');
    }
    if (link.expiresAt <= now()) {
      throw familyRefusal('unauthenticated', 'link-expired', 'This QR code has expired. Ask the Home for a new one.');
    }
    if (!link.isContactApproved) {
      throw familyRefusal(
        'unauthenticated',
        'contact-not-approved',
        'This contact cannot use the family page now. Please call the Home.',
      );
    }
    await throttle.enrolmentSucceeded(address);
    const signedIn = await signInFamilyDevice(c, database.db, {
      contactId: link.contactId,
      homeId: link.homeId,
      via: 'enrolment',
      enrolmentId: link.id,
    });
    return c.json(signedIn, 200);
  });
}
