import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../services.ts';
import { registerAlertsRoutes } from './alerts/index.ts';
import { registerAuthRoutes } from './auth/index.ts';
import { registerAvailabilityRoutes } from './availability/index.ts';
import { registerBoardRoutes } from './board/index.ts';
import { registerBookingRoutes } from './bookings/index.ts';
import { registerCallsRoutes } from './calls/index.ts';
import { registerChildrenRoutes } from './children/index.ts';
import { registerChildPhotoRoutes } from './children/register-photo-routes.ts';
import { registerContactsRoutes } from './contacts/index.ts';
import { registerDiaryRoutes } from './diary/index.ts';
import { registerDutyRoutes } from './duty/index.ts';
import { registerFamilyRoutes } from './family/index.ts';
import { registerHomeRoutes } from './home/index.ts';
import { registerHouseholdsRoutes } from './households/index.ts';
import { registerKioskCallRoutes } from './kiosk-calls/index.ts';
import { registerKioskRoutes } from './kiosks/index.ts';
import { registerOpeningRoutes } from './opening/index.ts';
import { registerOutboxRoutes } from './outbox/index.ts';
import { registerPairingsRoutes } from './pairings/index.ts';
import { registerRecordsRoutes } from './records/index.ts';
import { registerStaffRoutes } from './staff/index.ts';

/** Every `/api` area. Each area's `index.ts` registers its routes, one route per file. */
export function registerApiRoutes(app: OpenAPIHono<AppEnv>): void {
  registerAuthRoutes(app);
  registerChildrenRoutes(app);
  registerChildPhotoRoutes(app);
  registerDiaryRoutes(app);
  registerHouseholdsRoutes(app);
  registerContactsRoutes(app);
  registerAvailabilityRoutes(app);
  registerPairingsRoutes(app);
  registerRecordsRoutes(app);
  registerHomeRoutes(app);
  registerStaffRoutes(app);
  registerKioskRoutes(app);
  registerKioskCallRoutes(app);
  registerOpeningRoutes(app);
  registerDutyRoutes(app);
  registerOutboxRoutes(app);
  registerBookingRoutes(app);
  registerBoardRoutes(app);
  registerFamilyRoutes(app);
  registerCallsRoutes(app);
  registerAlertsRoutes(app);
}
