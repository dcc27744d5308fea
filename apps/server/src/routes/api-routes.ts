import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../services.ts';
import { registerAuthRoutes } from './auth/index.ts';
import { registerChildrenRoutes } from './children/index.ts';
import { registerDutyRoutes } from './duty/index.ts';
import { registerHomeRoutes } from './home/index.ts';
import { registerKioskRoutes } from './kiosks/index.ts';
import { registerOpeningRoutes } from './opening/index.ts';
import { registerStaffRoutes } from './staff/index.ts';

/** Every `/api` area. Each area's `index.ts` registers its routes, one route per file. */
export function registerApiRoutes(app: OpenAPIHono<AppEnv>): void {
  registerAuthRoutes(app);
  registerChildrenRoutes(app);
  registerHomeRoutes(app);
  registerStaffRoutes(app);
  registerKioskRoutes(app);
  registerOpeningRoutes(app);
  registerDutyRoutes(app);
}
