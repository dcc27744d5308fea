import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateKiosk } from './create-kiosk.ts';
import { registerEnrolKiosk } from './enrol-kiosk.ts';
import { registerGetKioskMe } from './get-kiosk-me.ts';
import { registerListKiosks } from './list-kiosks.ts';
import { registerRenewKioskEnrolment } from './renew-kiosk-enrolment.ts';
import { registerRevokeKiosk } from './revoke-kiosk.ts';
import { registerUpdateKiosk } from './update-kiosk.ts';

/** Kiosks: the admin's management (`/api/kiosks`) and the device's own enrolment (`/api/kiosk`). */
export function registerKioskRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListKiosks(app);
  registerCreateKiosk(app);
  registerUpdateKiosk(app);
  registerRenewKioskEnrolment(app);
  registerRevokeKiosk(app);
  registerEnrolKiosk(app);
  registerGetKioskMe(app);
}
