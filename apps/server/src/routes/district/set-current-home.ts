import { AppError } from '@affection/core';
import { getDistrictHome, setSessionCurrentHome } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { SetCurrentHomeSchema } from './district-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/district/current-home',
  tags: ['district'],
  summary: 'Choose the Home of the district this session acts in, with the admin’s rights (district admin)',
  description:
    "From the next request on, every Home route answers for that Home as for its admin. `null` leaves it. The choice is the session's: other sessions of the same " +
    'district admin keep theirs. A Home of another district is 404.',
  request: { body: { required: true, content: { 'application/json': { schema: SetCurrentHomeSchema } } } },
  responses: {
    204: { description: 'Chosen' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/district/current-home` (district): audited (`district.current-home`) with the Home chosen. */
export function registerSetCurrentHome(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'district', route, async (c, caller) => {
    const { homeId } = c.req.valid('json');
    const db = c.get('services').database.db;
    if (homeId !== null && !(await getDistrictHome(db, caller.districtId, homeId))) {
      throw new AppError('not-found', 'No such Home in your district.');
    }
    await setSessionCurrentHome(db, caller.sessionId, homeId);
    await audit(c, 'district.current-home', 'home', homeId);
    return c.body(null, 204);
  });
}
