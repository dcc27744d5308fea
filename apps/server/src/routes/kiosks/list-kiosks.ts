import { listKiosks } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toKioskDto } from './kiosk-dto.ts';
import { KioskSchema } from './kiosk-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/kiosks',
  tags: ['kiosks'],
  summary: "The Home's kiosks with their enrolment status, oldest first",
  responses: {
    200: {
      description: 'The kiosks',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(KioskSchema),
            now: z
              .string()
              .datetime()
              .openapi({ description: "The server's clock: a page shows last contacts against it, not its own" }),
          }),
        },
      },
    },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/kiosks` (admin). */
export function registerListKiosks(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { database, now } = c.get('services');
    const at = now();
    const kiosks = await listKiosks(database.db, staff.homeId);
    return c.json({ items: kiosks.map((kiosk) => toKioskDto(kiosk, at)), now: at.toISOString() }, 200);
  });
}
