import { createKiosk } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { issueEnrolmentCode } from './enrolment-code.ts';
import { toKioskDto } from './kiosk-dto.ts';
import { CreateKioskSchema, KioskWithCodeSchema } from './kiosk-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/kiosks',
  tags: ['kiosks'],
  summary: 'Add a kiosk; answers a one-time enrolment code valid for 10 minutes',
  request: { body: { required: true, content: { 'application/json': { schema: CreateKioskSchema } } } },
  responses: {
    201: {
      description: 'Created; type the code on the kiosk to enrol it',
      content: { 'application/json': { schema: KioskWithCodeSchema } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `POST /api/kiosks` (admin). Only the code's hash is stored. */
export function registerCreateKiosk(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { name } = c.req.valid('json');
    const { database, now } = c.get('services');
    const at = now();
    const issued = issueEnrolmentCode(at);
    const kiosk = await createKiosk(database.db, {
      homeId: staff.homeId,
      name,
      enrolmentCodeHash: issued.codeHash,
      enrolmentExpiresAt: issued.expiresAt,
    });
    await audit(c, 'kiosk.create', 'kiosk', kiosk.id, { fields: ['name'] });
    return c.json(
      {
        kiosk: toKioskDto(kiosk, at),
        enrolmentCode: issued.code,
        enrolmentExpiresAt: issued.expiresAt.toISOString(),
      },
      201,
    );
  });
}
