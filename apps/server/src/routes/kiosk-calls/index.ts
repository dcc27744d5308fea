import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerJoinKioskCall } from './join-kiosk-call.ts';
import { registerListKioskCalls } from './list-kiosk-calls.ts';
import { registerReportKioskCall } from './report-kiosk-call.ts';
import { registerSaveKioskMood } from './save-kiosk-mood.ts';

/** The kiosk's calls (`/api/kiosk/calls`): what is due, joining, the kiosk's own report, the child's mood. */
export function registerKioskCallRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListKioskCalls(app);
  registerJoinKioskCall(app);
  registerReportKioskCall(app);
  registerSaveKioskMood(app);
}
