import { AppError } from '@affection/core';
import { getChildPhoto } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { photoResponse } from './child-photo-response.ts';
import { PHOTO_CONTENT, PhotoVersionQuerySchema } from './get-child-photo.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/kiosk/children/{id}/photo',
  tags: ['kiosk'],
  summary: "A child's photo for the kiosk's tile (the URL comes with the kiosk's calls)",
  request: { params: idParam('chd'), query: PhotoVersionQuerySchema },
  responses: {
    200: { description: 'The picture', content: PHOTO_CONTENT },
    304: { description: 'Not changed since the ETag sent in If-None-Match' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `GET /api/kiosk/children/{id}/photo` (kiosk): an enrolled kiosk reads the photos of its own
 * Home's children only (another Home's child, an archived or an erased one is 404).
 */
export function registerGetKioskChildPhoto(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'kiosk', route, async (c, kiosk) => {
    const { id } = c.req.valid('param');
    const { v } = c.req.valid('query');
    const photo = await getChildPhoto(c.get('services').database.db, kiosk.homeId, id, { activeOnly: true });
    if (!photo) throw new AppError('not-found', 'This child has no photo.');
    return photoResponse(c, photo, v);
  });
}
