import { createRequire } from 'node:module';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { setContentSecurityPolicy } from '../../middleware/content-security-policy.ts';
import type { AppEnv } from '../../services.ts';
import { declarePolicy } from '../define-route.ts';

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Affection Phone API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body></html>`;

// A file of its own, not an inline block, so that the page's policy allows our own scripts only.
// No validator: Swagger UI would send the document to a server on the internet.
const START_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', validatorUrl: null });\n`;

/**
 * `GET /api/openapi.json` (OpenAPI 3.1 of every route, with each route's policy as `x-policy`)
 * and `GET /api/docs` (Swagger UI served from our own copy, no CDN, under a policy that allows only
 * our own scripts).
 */
export function registerApiDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'staffSession', {
    type: 'apiKey',
    in: 'cookie',
    name: 'ap_session',
    description: 'Staff session cookie from POST /api/auth/login; state-changing requests also send X-CSRF-Token.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'kioskDevice', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: '`Kiosk <device token>` from kiosk enrolment.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'familyDevice', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: '`Family <device token>` from a contact card link or a one-time code.',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Affection Phone (亲情电话) API',
      version: '0.1.0',
      description: 'Calls between left-behind children at their school Home and their parents far away.',
    },
  });
  declarePolicy(app, 'GET', '/api/openapi.json', 'public');
  declarePolicy(app, 'GET', '/api/docs', 'public');
  declarePolicy(app, 'GET', '/api/docs/start.js', 'public');
  app.use('/api/docs', setContentSecurityPolicy('docs'));
  app.use('/api/docs/*', setContentSecurityPolicy('docs'));
  app.get('/api/docs', (c) => c.html(DOCS_PAGE));
  app.get('/api/docs/start.js', (c) =>
    c.body(START_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }),
  );
  app.use(
    '/api/docs/assets/*',
    serveStatic({
      root: path.relative(process.cwd(), swaggerDir) || '.',
      rewriteRequestPath: (p) => p.replace(/^\/api\/docs\/assets/, ''),
    }),
  );
}
