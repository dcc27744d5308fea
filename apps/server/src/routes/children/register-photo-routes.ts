import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerDeleteChildPhoto } from './delete-child-photo.ts';
import { registerGetChildPhoto } from './get-child-photo.ts';
import { registerGetKioskChildPhoto } from './get-kiosk-child-photo.ts';
import { registerPutChildPhoto } from './put-child-photo.ts';

/** Children's kiosk photos: set, remove, and read by staff and by the Home's kiosks. */
export function registerChildPhotoRoutes(app: OpenAPIHono<AppEnv>): void {
  registerPutChildPhoto(app);
  registerDeleteChildPhoto(app);
  registerGetChildPhoto(app);
  registerGetKioskChildPhoto(app);
}
