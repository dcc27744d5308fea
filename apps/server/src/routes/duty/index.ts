import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateDutyOverride } from './create-duty-override.ts';
import { registerDeleteDutyOverride } from './delete-duty-override.ts';
import { registerGetDutyOnDate } from './get-duty-on-date.ts';
import { registerGetDutyPattern } from './get-duty-pattern.ts';
import { registerListDutyOverrides } from './list-duty-overrides.ts';
import { registerReplaceDutyPattern } from './replace-duty-pattern.ts';

/** The duty rota: a weekly pattern with dated overrides. */
export function registerDutyRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetDutyOnDate(app);
  registerGetDutyPattern(app);
  registerReplaceDutyPattern(app);
  registerListDutyOverrides(app);
  registerCreateDutyOverride(app);
  registerDeleteDutyOverride(app);
}
