import type { OpenAPIHono, RouteConfig, RouteConfigToEnv, RouteHandler } from '@hono/zod-openapi';
import { type Policy, requirePolicy } from '../auth/policy.ts';
import type {
  AccountPrincipal,
  DistrictPrincipal,
  FamilyPrincipal,
  KioskPrincipal,
  Principal,
  StaffPrincipal,
} from '../auth/principal.ts';
import type { AppEnv } from '../services.ts';

/** A route's method, path (OpenAPI style, `{id}`) and policy, as registered. */
export interface RoutePolicyEntry {
  method: string;
  path: string;
  policy: Policy;
}

/**
 * The caller a handler gets for a policy, already checked by it: staff for `teacher`/`admin`, a district admin for
 * `district`, staff or a district admin for `account`, the
 * kiosk for `kiosk`, the contact's device for `family`; anyone (possibly anonymous) otherwise.
 */
export type CallerOf<P extends Policy> = P extends 'teacher' | 'admin'
  ? StaffPrincipal
  : P extends 'district'
    ? DistrictPrincipal
    : P extends 'account'
      ? AccountPrincipal
      : P extends 'kiosk'
        ? KioskPrincipal
        : P extends 'family'
          ? FamilyPrincipal
          : Principal;

/** The handler's environment: the app's, or what the route's own middleware adds to it (a webhook's checked fields). */
type HandlerEnvOf<R extends RouteConfig> = R extends { middleware: unknown } ? RouteConfigToEnv<R> & AppEnv : AppEnv;

/**
 * A route's handler: Hono's typed context (validated input, typed responses) and the caller typed
 * by the route's policy. A handler that does not need the caller may take the context only.
 */
export type PolicyRouteHandler<R extends RouteConfig, P extends Policy> = (
  c: Parameters<RouteHandler<R, HandlerEnvOf<R>>>[0],
  caller: CallerOf<P>,
) => ReturnType<RouteHandler<R, HandlerEnvOf<R>>>;

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

const SECURITY: Record<Policy, Record<string, string[]>[]> = {
  public: [],
  webhook: [],
  kiosk: [{ kioskDevice: [] }],
  family: [{ familyDevice: [] }],
  teacher: [{ staffSession: [] }],
  admin: [{ staffSession: [] }],
  district: [{ staffSession: [] }],
  account: [{ staffSession: [] }],
};

/**
 * Registers an OpenAPI route with its access policy: the policy runs before validation and the
 * handler, and is recorded so that a test can enumerate every route and caller. The handler gets
 * the caller typed by the policy as its second argument, so it never checks the caller's kind again.
 *
 * @example addRoute(app, 'teacher', getChildRoute, async (c, staff) => … staff.homeId …)
 */
export function addRoute<R extends RouteConfig, P extends Policy>(
  app: OpenAPIHono<AppEnv>,
  policy: P,
  route: R,
  handler: PolicyRouteHandler<R, P>,
): void {
  const entries = registries.get(app) ?? [];
  entries.push({ method: route.method.toUpperCase(), path: route.path, policy });
  registries.set(app, entries);
  const existing = route.middleware ? (Array.isArray(route.middleware) ? route.middleware : [route.middleware]) : [];
  const guarded = { ...route, middleware: [requirePolicy(policy), ...existing] } as R;
  // requirePolicy has let only a caller of this policy through, so the principal is of its kind.
  const withCaller: RouteHandler<R, HandlerEnvOf<R>> = (c) => handler(c, c.get('principal') as CallerOf<P>);
  app.openapi(
    { ...guarded, security: SECURITY[policy], 'x-policy': policy } as R,
    withCaller as unknown as RouteHandler<R, AppEnv>,
  );
}
