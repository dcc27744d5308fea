import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../services.ts';
import type { ServerMetrics } from './server-metrics.ts';

/**
 * Times every request into {@link ServerMetrics}: labelled by the pattern of the route that answered
 * (`/api/bookings/:id`, never the path with its ids), or `/*` when none did (an unknown address, a refusal before routing).
 */
export function recordRequestDuration(metrics: ServerMetrics): MiddlewareHandler<AppEnv> {
  return async function recordRequestDurationMiddleware(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      // After next(), the route index is the last handler that ran: the route's own, or a middleware that answered.
      metrics.observeRequest({
        method: c.req.method,
        route: routePath(c) || '/*',
        status: c.res.status,
        seconds: (performance.now() - started) / 1000,
      });
    }
  };
}
