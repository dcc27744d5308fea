import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { CONTRACT_ROUTES } from './contract.ts';
import { registerApiRoutes } from './routes/api-routes.ts';
import { listRoutePolicies } from './routes/define-route.ts';
import { registerGetHealthz } from './routes/health/get-healthz.ts';
import type { AppEnv } from './services.ts';

describe('the API contract', () => {
  it('lists exactly the routes the app registers through addRoute (webhooks aside)', () => {
    const app = new OpenAPIHono<AppEnv>();
    registerGetHealthz(app);
    registerApiRoutes(app);
    const registered = listRoutePolicies(app)
      .filter((entry) => entry.policy !== 'webhook')
      .map((entry) => `${entry.method} ${entry.path}`)
      .sort();
    const inContract = CONTRACT_ROUTES.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort();
    expect(registered.length).toBeGreaterThan(80);
    expect(inContract).toEqual(registered);
  });
});
