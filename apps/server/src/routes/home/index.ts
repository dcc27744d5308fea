import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerGetHome } from './get-home.ts';
import { registerUpdateHome } from './update-home.ts';

/** The Home's own settings. */
export function registerHomeRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetHome(app);
  registerUpdateHome(app);
}
