import { replaceOpeningRules } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toOpeningRuleDto } from './opening-dto.ts';
import { OpeningRuleSchema, ReplaceOpeningRulesSchema } from './opening-schemas.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/opening/rules',
  tags: ['opening'],
  summary: 'Replace the whole weekly timetable (an empty list closes every weekday)',
  request: { body: { required: true, content: { 'application/json': { schema: ReplaceOpeningRulesSchema } } } },
  responses: {
    200: {
      description: 'The new weekly rules',
      content: { 'application/json': { schema: z.object({ rules: z.array(OpeningRuleSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `PUT /api/opening/rules` (admin): overlapping ranges on one weekday are 400. */
export function registerReplaceOpeningRules(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const input = c.req.valid('json');
    const rules = await replaceOpeningRules(c.get('services').database.db, staff.homeId, input);
    await audit(c, 'opening.rules_replace', 'home', staff.homeId, { ruleIds: rules.map((rule) => rule.id) });
    return c.json({ rules: rules.map(toOpeningRuleDto) }, 200);
  });
}
