import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreatePairing } from './create-pairing.ts';
import { registerDeletePairing } from './delete-pairing.ts';
import { registerListPairings } from './list-pairings.ts';

/** Teachers paired with children (结对). */
export function registerPairingsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListPairings(app);
  registerCreatePairing(app);
  registerDeletePairing(app);
}
