import { AppError } from '@affection/core';
import { getHome, getKiosk } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

const KioskSelfSchema = z
  .object({
    id: z.string().openapi({ example: 'kio_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '一号机' }),
    enabled: z.boolean(),
    home: z.object({
      name: z.string().openapi({ example: '石门乡中心小学留守儿童之家' }),
      timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    }),
  })
  .openapi('KioskSelf');

export const route = createRoute({
  method: 'get',
  path: '/api/kiosk/me',
  tags: ['kiosk'],
  summary: 'The enrolled kiosk itself and its Home; 401 means enrol again',
  responses: {
    200: { description: 'This kiosk', content: { 'application/json': { schema: KioskSelfSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/kiosk/me` (kiosk). A revoked or re-coded kiosk's token is no longer a kiosk: 401. */
export function registerGetKioskMe(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'kiosk', route, async (c, principal) => {
    const db = c.get('services').database.db;
    const [kiosk, home] = await Promise.all([
      getKiosk(db, principal.homeId, principal.kioskId),
      getHome(db, principal.homeId),
    ]);
    if (!kiosk || !home) throw new AppError('unauthenticated', 'This kiosk is not enrolled.');
    return c.json(
      { id: kiosk.id, name: kiosk.name, enabled: kiosk.enabled, home: { name: home.name, timeZone: home.timeZone } },
      200,
    );
  });
}
