import type { MiddlewareHandler } from 'hono';
import type { AppEnv, AppServices } from '../services.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Puts the services, a request id (the caller's `X-Request-Id` when well-formed) and a child
 * logger carrying that id into the context, answers with the id, and writes one access-log
 * line per request. Only method, path, status and duration are logged — never bodies or queries.
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
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  };
}
