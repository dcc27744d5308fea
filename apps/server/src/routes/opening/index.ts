import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateClosure } from './create-closure.ts';
import { registerCreateOpeningException } from './create-opening-exception.ts';
import { registerDeleteOpeningException } from './delete-opening-exception.ts';
import { registerGetOpening } from './get-opening.ts';
import { registerPreviewOpeningChange } from './preview-opening-change.ts';
import { registerReplaceOpeningRules } from './replace-opening-rules.ts';

/**
 * Opening hours: weekly rules, dated exceptions (holidays, happy weeks), closures over several days, and the preview of
 * the booked calls a change would leave outside the hours.
 */
export function registerOpeningRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetOpening(app);
  registerReplaceOpeningRules(app);
  registerCreateOpeningException(app);
  registerDeleteOpeningException(app);
  registerCreateClosure(app);
  registerPreviewOpeningChange(app);
}
