import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerGetHealthz } from './get-healthz.ts';
import { registerGetLivez } from './get-livez.ts';
import { registerGetReadyz } from './get-readyz.ts';

/** `/healthz` (as before, for existing monitors), `/livez` (the process answers) and `/readyz` (its dependencies do). */
export function registerHealthRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetHealthz(app);
  registerGetLivez(app);
  registerGetReadyz(app);
}
