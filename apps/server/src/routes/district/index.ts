import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateDistrictHome } from './create-district-home.ts';
import { registerListDistrictHomes } from './list-district-homes.ts';
import { registerSetCurrentHome } from './set-current-home.ts';

/** The district admin's routes (区县): the district's Homes and their reach, a new Home, the Home to act in. */
export function registerDistrictRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListDistrictHomes(app);
  registerCreateDistrictHome(app);
  registerSetCurrentHome(app);
}
