import { AppError } from '@affection/core';
import { saveChildPhoto } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { errorBody } from '../../errors/error-handler.ts';
import type { AppEnv } from '../../services.ts';
import { ErrorBodySchema, errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { ChildPhotoUploadSchema, PhotoRefusal, readPhotoUpload } from './child-photo-upload.ts';
import { childPhotoUrlOf } from './child-photo-url.ts';

/** A child's kiosk photo as kept. */
export const ChildPhotoSchema = z
  .object({
    photoUrl: z.string().openapi({ example: '/api/children/chd_7m2k9x4q1b8c0d5e/photo?v=3f2a9c0d1b7e4a65' }),
    version: z.string().openapi({ example: '3f2a9c0d1b7e4a65' }),
    contentType: z.enum(['image/jpeg', 'image/webp', 'image/png']),
    byteSize: z.number().int(),
  })
  .openapi('ChildPhoto');

export const route = createRoute({
  method: 'put',
  path: '/api/children/{id}/photo',
  tags: ['children'],
  summary: "Set or replace a child's kiosk photo (a square picture of at most 300 KB)",
  request: {
    params: idParam('chd'),
    body: { required: true, content: { 'application/json': { schema: ChildPhotoUploadSchema } } },
  },
  'x-refusals': refusals('photo', 'too-large', 'wrong-type'),
  responses: {
    200: { description: 'Kept', content: { 'application/json': { schema: ChildPhotoSchema } } },
    ...errorResponses(400, 401, 403, 404),
    413: {
      description: 'The photo is over 300 KB',
      content: { 'application/json': { schema: ErrorBodySchema } },
    },
    415: {
      description: 'Not a JPEG, PNG or WebP picture (judged by its first bytes)',
      content: { 'application/json': { schema: ErrorBodySchema } },
    },
  },
});

/**
 * `PUT /api/children/{id}/photo` (teacher): the page crops and resizes; the server checks the type by
 * the first bytes and the size, keeps the bytes in the database, and audits the change (ids only).
 */
export function registerPutChildPhoto(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { image } = c.req.valid('json');
    const { database, now } = c.get('services');
    const photo = readPhotoUpload(image);
    if (photo instanceof PhotoRefusal) {
      const body = errorBody(c, photo.status === 413 ? 'payload-too-large' : 'bad-request', photo.message, {
        userMessageKey: photo.userMessageKey,
        details: photo.details,
      });
      return c.json(body, photo.status);
    }
    const saved = await saveChildPhoto(database.db, staff.homeId, id, {
      ...photo,
      uploadedBy: staff.staffId,
      at: now(),
    });
    if (!saved) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'child.photo.set', 'child', id, { version: saved.version });
    return c.json(
      {
        photoUrl: childPhotoUrlOf(id, saved.version)!,
        version: saved.version,
        contentType: photo.contentType,
        byteSize: photo.data.byteLength,
      },
      200,
    );
  });
}
