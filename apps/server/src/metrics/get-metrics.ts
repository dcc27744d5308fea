import type { OpenAPIHono } from '@hono/zod-openapi';
import { secretsEqual } from '../auth/tokens.ts';
import { errorBody, handleNotFound } from '../errors/error-handler.ts';
import { declarePolicy } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import type { ServerMetrics } from './server-metrics.ts';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics`: the Prometheus text format for a caller with `Authorization: Bearer <METRICS_TOKEN>`. Without a
 * token configured (`metrics` null) it answers exactly as an unknown address does (404), so nothing shows that it
 * exists; a missing or wrong token gets 401. Declared public: the route checks its own token.
 */
export function registerGetMetrics(app: OpenAPIHono<AppEnv>, metrics: ServerMetrics | null, token: string | null) {
  declarePolicy(app, 'GET', METRICS_PATH, 'public');
  app.get(METRICS_PATH, async (c) => {
    if (!metrics || !token) return handleNotFound(c);
    const sent = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!sent || !secretsEqual(sent, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return c.json(
        errorBody(c, 'unauthenticated', 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.'),
        401,
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
  });
}
