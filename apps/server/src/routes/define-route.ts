import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { type Policy, requirePolicy } from '../auth/policy.ts';
import type { AppEnv } from '../services.ts';

/** A route's method, path (OpenAPI style, `{id}`) and policy, as registered. */
export interface RoutePolicyEntry {
  method: string;
  path: string;
  policy: Policy;
}

const registries = new WeakMap<object, RoutePolicyEntry[]>();

/** Every route registered on `app` through {@link addRoute}, with its policy. */
export function listRoutePolicies(app: object): RoutePolicyEntry[] {
  return [...(registries.get(app) ?? [])];
}

/**
 * Records the policy of a route registered without OpenAPI (docs, static files). Such routes
 * must be public or enforce their policy themselves.
 */
export function declarePolicy(app: object, method: string, path: string, policy: Policy): void {
  const entries = registries.get(app) ?? [];
  entries.push({ method: method.toUpperCase(), path, policy });
  registries.set(app, entries);
}

/**
 * Registers an OpenAPI route with its access policy: the policy runs before validation and the
 * handler, and is recorded so that a test can enumerate every route and caller.
 *
 * @example addRoute(app, 'teacher', getChildRoute, async (c) => …)
 */
export function addRoute<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  policy: Policy,
  route: R,
  handler: RouteHandler<R, AppEnv>,
): void {
  const entries = registries.get(app) ?? [];
  entries.push({ method: route.method.toUpperCase(), path: route.path, policy });
  registries.set(app, entries);
  const existing = route.middleware ? (Array.isArray(route.middleware) ? route.middleware : [route.middleware]) : [];
  const guarded = { ...route, middleware: [requirePolicy(policy), ...existing] } as R;
  const security =
    policy === 'teacher' || policy === 'admin'
      ? [{ staffSession: [] }]
      : policy === 'kiosk'
        ? [{ kioskDevice: [] }]
        : policy === 'family'
          ? [{ familyDevice: [] }]
          : [];
  app.openapi({ ...guarded, security, 'x-policy': policy } as R, handler);
}
