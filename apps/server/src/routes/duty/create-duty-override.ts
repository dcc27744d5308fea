import { AppError } from '@affection/core';
import { createDutyOverride } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toDutyOverrideDto } from './duty-dto.ts';
import { CreateDutyOverrideSchema, DutyOverrideSchema } from './duty-schemas.ts';
import { requireHomeStaff } from './duty-staff-check.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/duty/overrides',
  tags: ['duty'],
  summary: 'Put someone on duty for one date (add), or take them off (remove)',
  request: { body: { required: true, content: { 'application/json': { schema: CreateDutyOverrideSchema } } } },
  'x-refusals': refusals('duty', 'already-overridden', 'staff-inactive'),
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: DutyOverrideSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/**
 * `POST /api/duty/overrides` (admin). One override per staff member and date (409 otherwise);
 * only active staff can be added (422).
 */
export function registerCreateDutyOverride(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    await requireHomeStaff(db, staff.homeId, [input.staffId], { active: input.kind === 'add' });
    const result = await createDutyOverride(db, staff.homeId, input);
    if (!result.ok) {
      throw new AppError(
        'conflict',
        'This staff member already has a change on this date. Delete it first to change it.',
        { userMessageKey: 'error.duty.already-overridden', details: { reason: result.reason } },
      );
    }
    await audit(c, 'duty.override_create', 'duty_override', result.override.id, {
      staffId: input.staffId,
      fields: Object.keys(input),
    });
    return c.json(toDutyOverrideDto(result.override), 201);
  });
}
