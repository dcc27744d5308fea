import { AppError } from '@affection/core';
import { getChildPhoto } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { photoResponse } from './child-photo-response.ts';

/** `?v=`: the photo's version, as the child's `photoUrl` carries it. */
export const PhotoVersionQuerySchema = z.object({
  v: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'validation.invalid_format')
    .optional()
    .openapi({ example: '3f2a9c0d1b7e4a65' }),
});

const PICTURE = z.string().openapi({ type: 'string', format: 'binary' });

/** The picture types a photo answer may have. */
export const PHOTO_CONTENT = {
  'image/jpeg': { schema: PICTURE },
  'image/webp': { schema: PICTURE },
  'image/png': { schema: PICTURE },
};

export const route = createRoute({
  method: 'get',
  path: '/api/children/{id}/photo',
  tags: ['children'],
  summary: "A child's kiosk photo (the bytes; kept privately by the browser while the version is the same)",
  request: { params: idParam('chd'), query: PhotoVersionQuerySchema },
  responses: {
    200: { description: 'The picture', content: PHOTO_CONTENT },
    304: { description: 'Not changed since the ETag sent in If-None-Match' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `GET /api/children/{id}/photo` (teacher): only staff of the child's Home (another Home's child is
 * 404). Reading the picture is not audited on its own: the record it is shown on is.
 */
export function registerGetChildPhoto(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { v } = c.req.valid('query');
    const photo = await getChildPhoto(c.get('services').database.db, staff.homeId, id);
    if (!photo) throw new AppError('not-found', 'This child has no photo.');
    return photoResponse(c, photo, v);
  });
}
