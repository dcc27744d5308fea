import { CATALOGS } from '@affection/ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { type ApiContract, CONTRACT_ROUTES } from './contract.ts';
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

  it("publishes each route's refusal reasons (x-refusals) with message keys both catalogs hold", () => {
    const app = new OpenAPIHono<AppEnv>();
    registerApiRoutes(app);
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'test', version: '0' } });
    const published = Object.entries(doc.paths ?? {}).flatMap(([path, byMethod]) =>
      Object.entries(byMethod as Record<string, { 'x-refusals'?: { reason: string; userMessageKey: string }[] }>)
        .filter(([, operation]) => operation['x-refusals'])
        .map(([method, operation]) => ({
          route: `${method.toUpperCase()} ${path}`,
          refusals: operation['x-refusals'] ?? [],
        })),
    );
    expect(published.length).toBeGreaterThanOrEqual(16);
    const join = published.find((p) => p.route === 'POST /api/kiosk/calls/{id}/join');
    expect(join?.refusals.map((r) => r.reason)).toEqual(['not-yet', 'ended', 'cancelled', 'calls-unavailable']);
    for (const { route, refusals } of published) {
      for (const { reason, userMessageKey } of refusals) {
        expect(userMessageKey, route).toMatch(new RegExp(`^error\\.[a-z-]+\\.${reason}$`));
        expect(CATALOGS['zh-CN'], route).toHaveProperty([userMessageKey]);
        expect(CATALOGS.en, route).toHaveProperty([userMessageKey]);
      }
    }
    // The contract carries the same reasons as a type.
    const reason: ApiContract['POST /api/kiosk/calls/{id}/join']['refusal'] = 'calls-unavailable';
    expect(join?.refusals.map((r) => r.reason)).toContain(reason);
  });
});
