import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv, AppServices } from '../services.ts';
import { pathForLog } from './path-for-log.ts';

// A proxy's request id is hex (a UUID, nginx's $request_id); a free-form one could carry a name or a number into every line.
const REQUEST_ID = /^(?=.*[a-f])[0-9a-f-]{16,64}$/i;

/**
 * Puts the services, a request id (the caller's `X-Request-Id` when it is hex, e.g. a UUID) and a child
 * logger carrying that id into the context, answers with the id, and writes one access-log
 * line per request: method, the path with every segment that is not a route's own word or one of
 * our ids masked (an enrolment link's secret is a path segment), status and duration — never
 * bodies, query strings or headers.
 */
export function requestContext(services: AppServices): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = services.logger.child({ requestId });
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('log', log);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    log.info(
      {
        method: c.req.method,
        path: pathForLog(
          c.req.path,
          matchedRoutes(c).map((route) => route.path),
        ),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}
