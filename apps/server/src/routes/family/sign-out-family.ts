import { revokeFamilyDevice } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/family/sign-out',
  tags: ['family'],
  summary: 'Sign this phone out: its device token stops working',
  responses: {
    204: { description: 'Signed out' },
    ...errorResponses(401, 403),
  },
});

/** `POST /api/family/sign-out` (family). The contact's other phones stay signed in. */
export function registerSignOutFamily(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { database, now } = c.get('services');
    await revokeFamilyDevice(database.db, family.homeId, family.deviceId, now());
    await audit(c, 'family.sign-out', 'contact', family.contactId, { deviceId: family.deviceId });
    return c.body(null, 204);
  });
}
