import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerArchiveHousehold } from './archive-household.ts';
import { registerCreateHousehold } from './create-household.ts';
import { registerGetContactCards } from './get-contact-cards.ts';
import { registerGetHousehold } from './get-household.ts';
import { registerListHouseholds } from './list-households.ts';
import { registerRenameHousehold } from './rename-household.ts';

/** Households: siblings and the people who call them, and their contact cards. */
export function registerHouseholdsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListHouseholds(app);
  registerGetContactCards(app);
  registerCreateHousehold(app);
  registerGetHousehold(app);
  registerRenameHousehold(app);
  registerArchiveHousehold(app);
}
