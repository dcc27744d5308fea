import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerListAlerts } from './list-alerts.ts';

/** What the console should bring to the teachers' attention. */
export function registerAlertsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListAlerts(app);
}
