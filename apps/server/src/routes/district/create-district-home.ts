import { createDistrictHome } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toStaffDto } from '../staff/staff-dto.ts';
import { staffChangeError } from '../staff/staff-errors.ts';
import { loadCallerDistrict } from './district-caller.ts';
import { CreateDistrictHomeSchema, CreatedDistrictHomeSchema } from './district-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/district/homes',
  tags: ['district'],
  summary: 'Create a Home in the district with its first admin (district admin)',
  description:
    "The first admin's initial password is made by the browser and shown once, as on the staff screen. Usernames " +
    'are unique over the whole installation (every Home and district): a taken one is 409 and no Home is made.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateDistrictHomeSchema } } } },
  'x-refusals': refusals('staff', 'username-taken'),
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: CreatedDistrictHomeSchema } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

/** `POST /api/district/homes` (district): the Home and its admin in one transaction, audited (`district.home-create`). */
export function registerCreateDistrictHome(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'district', route, async (c, caller) => {
    const { name, timeZone, admin } = c.req.valid('json');
    const db = c.get('services').database.db;
    const district = await loadCallerDistrict(db, caller.districtId);
    const result = await createDistrictHome(
      db,
      district.id,
      { name, timeZone },
      { displayName: admin.displayName, username: admin.username, passwordHash: await hashPassword(admin.password) },
    );
    if (!result.ok) throw staffChangeError(result.reason);
    await audit(c, 'district.home-create', 'home', result.home.id, { adminId: result.admin.id });
    return c.json(
      {
        home: {
          id: result.home.id,
          name: result.home.name,
          timeZone: result.home.timeZone,
          createdAt: result.home.createdAt.toISOString(),
        },
        admin: toStaffDto(result.admin),
      },
      201,
    );
  });
}
