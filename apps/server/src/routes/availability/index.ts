import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerGetAvailability } from './get-availability.ts';
import { registerReplaceAvailability } from './replace-availability.ts';

/** Contacts' weekly availability windows. */
export function registerAvailabilityRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetAvailability(app);
  registerReplaceAvailability(app);
}
