import { AppError } from '@affection/core';
import { renewKioskEnrolment } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { issueEnrolmentCode } from './enrolment-code.ts';
import { toKioskDto } from './kiosk-dto.ts';
import { KioskWithCodeSchema } from './kiosk-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/kiosks/{id}/enrolment-code',
  tags: ['kiosks'],
  summary: 'A new enrolment code (replaced or reset device); the device enrolled until now stops working',
  request: { params: idParam('kio') },
  responses: {
    200: {
      description: 'The kiosk, awaiting enrolment, with its new code',
      content: { 'application/json': { schema: KioskWithCodeSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/kiosks/{id}/enrolment-code` (admin): also brings a revoked kiosk back for a new device. */
export function registerRenewKioskEnrolment(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const at = now();
    const issued = issueEnrolmentCode(at);
    const kiosk = await renewKioskEnrolment(database.db, staff.homeId, id, {
      enrolmentCodeHash: issued.codeHash,
      enrolmentExpiresAt: issued.expiresAt,
    });
    if (!kiosk) throw new AppError('not-found', 'No such kiosk in your Home.');
    await audit(c, 'kiosk.enrolment_code', 'kiosk', kiosk.id);
    return c.json(
      {
        kiosk: toKioskDto(kiosk, at),
        enrolmentCode: issued.code,
        enrolmentExpiresAt: issued.expiresAt.toISOString(),
      },
      200,
    );
  });
}
