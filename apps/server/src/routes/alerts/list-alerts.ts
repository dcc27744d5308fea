import { getHome, listNoContactChildren, type NoContactChild } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

/** A child who has not talked with family for too long. */
export const NoContactAlertSchema = z
  .object({
    childId: z.string().openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }),
    householdId: z.string(),
    familyName: z.string().openapi({ example: '王' }),
    givenName: z.string().openapi({ example: '小明' }),
    lastCallAt: z
      .string()
      .nullable()
      .openapi({ format: 'date-time', description: 'Start of the last completed call; null when none' }),
    daysWithoutContact: z.number().int().openapi({ example: 16 }),
    pairedTeachers: z.array(z.object({ staffId: z.string(), displayName: z.string() })),
  })
  .openapi('NoContactAlert');

function toAlertDto(child: NoContactChild): z.infer<typeof NoContactAlertSchema> {
  return {
    childId: child.childId,
    householdId: child.householdId,
    familyName: child.familyName,
    givenName: child.givenName,
    lastCallAt: child.lastCallAt?.toISOString() ?? null,
    daysWithoutContact: child.daysWithoutContact,
    pairedTeachers: child.pairedTeachers.map((t) => ({ staffId: t.staffId, displayName: t.displayName })),
  };
}

export const route = createRoute({
  method: 'get',
  path: '/api/alerts',
  tags: ['alerts'],
  summary: 'Children with no completed call for the Home’s alert period, longest wait first',
  description:
    'Counted from the last completed call, or from when the child was added when there was none. The period is ' +
    'the Home’s noContactAlertDays (default 14); the paired teachers with a phone also get a daily SMS.',
  responses: {
    200: {
      description: 'The alerts',
      content: {
        'application/json': {
          schema: z.object({ noContactAlertDays: z.number().int(), noContact: z.array(NoContactAlertSchema) }),
        },
      },
    },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/alerts` (teacher, own Home): children not called for too long. */
export function registerListAlerts(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { database, now } = c.get('services');
    const home = await getHome(database.db, staff.homeId);
    const days = home?.noContactAlertDays ?? 14;
    const children = await listNoContactChildren(database.db, staff.homeId, { now: now(), days });
    return c.json({ noContactAlertDays: days, noContact: children.map(toAlertDto) }, 200);
  });
}
