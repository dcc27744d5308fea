import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateOpeningException } from './create-opening-exception.ts';
import { registerDeleteOpeningException } from './delete-opening-exception.ts';
import { registerGetOpening } from './get-opening.ts';
import { registerReplaceOpeningRules } from './replace-opening-rules.ts';

/** Opening hours: weekly rules and dated exceptions (holidays, happy weeks). */
export function registerOpeningRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetOpening(app);
  registerReplaceOpeningRules(app);
  registerCreateOpeningException(app);
  registerDeleteOpeningException(app);
}
