import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { resolvePrincipal } from './auth/resolve-principal.ts';
import { errorBody, handleError, handleNotFound } from './errors/error-handler.ts';
import { registerGetMetrics } from './metrics/get-metrics.ts';
import { recordRequestDuration } from './metrics/record-request-duration.ts';
import { createServerMetrics } from './metrics/server-metrics.ts';
import { setContentSecurityPolicy } from './middleware/content-security-policy.ts';
import { requestContext } from './middleware/request-context.ts';
import { guardRequestText } from './middleware/request-text-guard.ts';
import { registerApiRoutes } from './routes/api-routes.ts';
import { registerApiDocs } from './routes/docs/api-docs.ts';
import { registerHealthRoutes } from './routes/health/index.ts';
import type { AppEnv, AppServices } from './services.ts';
import { validationHook } from './validation/validation-hook.ts';
import { registerQueueBoard } from './web/queue-board.ts';
import { serveWebApps } from './web/serve-web-apps.ts';
import { registerWebhooks } from './webhooks/index.ts';

/** Options for {@link createApp}. */
export interface CreateAppOptions {
  /** Folder holding the built front ends (`<name>/dist`); omit to serve no web apps. */
  appsDir?: string;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/**
 * Builds the whole HTTP application on the given services. Tests call `app.request()` on it;
 * `main.ts` serves it.
 */
export function createApp(services: AppServices, options: CreateAppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // Metrics only when a token lets someone read them (METRICS_TOKEN): otherwise nothing is recorded.
  const metricsToken = services.settings.metricsToken ?? null;
  const metrics = metricsToken ? createServerMetrics(services) : null;
  if (metrics) app.use('*', recordRequestDuration(metrics));
  app.use('*', requestContext(services));
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false }));
  // The API's policy (nothing may load); the pages and the API docs set their own, wider one.
  app.use('*', setContentSecurityPolicy('api'));
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: (c) => c.json(errorBody(c, 'payload-too-large', 'The request body is too large.'), 413),
    }),
  );
  app.use('*', guardRequestText());
  app.use('*', resolvePrincipal());
  registerHealthRoutes(app);
  registerGetMetrics(app, metrics, metricsToken);
  registerApiRoutes(app);
  registerWebhooks(app);
  registerApiDocs(app);
  // Before the console's pages: the job board lives under its path, with its own access and policy.
  registerQueueBoard(app);
  if (options.appsDir) serveWebApps(app, { appsDir: options.appsDir });
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}
