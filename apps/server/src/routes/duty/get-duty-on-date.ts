import { listOnDuty } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { DateSchema, errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toDutyOverrideDto, toDutyStaffDto } from './duty-dto.ts';
import { DutyOverrideSchema, DutyStaffSchema } from './duty-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/duty',
  tags: ['duty'],
  summary: "Who is on duty on a date: the weekly rota for that date's weekday, plus adds, minus removes",
  request: { query: z.object({ date: DateSchema }) },
  responses: {
    200: {
      description: 'On duty that date',
      content: {
        'application/json': {
          schema: z
            .object({
              date: z.string().openapi({ example: '2026-09-07' }),
              weekday: z.number().int().openapi({ example: 1 }),
              staff: z.array(DutyStaffSchema),
              overrides: z.array(DutyOverrideSchema),
            })
            .openapi('DutyOnDate'),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/duty?date=YYYY-MM-DD` (teacher). Deactivated staff are never on duty. */
export function registerGetDutyOnDate(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { date } = c.req.valid('query');
    const duty = await listOnDuty(c.get('services').database.db, staff.homeId, date);
    return c.json(
      {
        date: duty.date,
        weekday: duty.weekday,
        staff: duty.staff.map(toDutyStaffDto),
        overrides: duty.overrides.map(toDutyOverrideDto),
      },
      200,
    );
  });
}
