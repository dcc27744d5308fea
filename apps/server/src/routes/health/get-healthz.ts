import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv, AppServices } from '../../services.ts';
import { addRoute } from '../define-route.ts';

const CHECK_TIMEOUT_MS = 2_000;

const CheckStateSchema = z.enum(['ok', 'error', 'disabled']);

/** Body of `GET /healthz`. */
export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'error']),
    checks: z.object({ db: CheckStateSchema, redis: CheckStateSchema, livekit: CheckStateSchema }),
    failing: z.array(z.string()).optional(),
  })
  .openapi('Health');

export const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness and readiness: the database, Redis and LiveKit answer',
  responses: {
    200: {
      description: 'Every configured dependency answers',
      content: { 'application/json': { schema: HealthSchema } },
    },
    503: {
      description: 'At least one dependency does not answer',
      content: { 'application/json': { schema: HealthSchema } },
    },
  },
});

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch {
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}

/** Checks each dependency in parallel, each bounded by a timeout. */
export async function checkHealth(services: AppServices): Promise<z.infer<typeof HealthSchema>> {
  const [db, redis, livekit] = await Promise.all([
    probe(() => services.database.ping()),
    probe(() => services.redis.ping()),
    services.livekitRooms ? probe(() => services.livekitRooms!.listRooms()) : Promise.resolve('disabled' as const),
  ]);
  const checks = { db, redis, livekit };
  const failing = Object.entries(checks)
    .filter(([, state]) => state === 'error')
    .map(([name]) => name);
  return failing.length === 0 ? { status: 'ok', checks } : { status: 'error', checks, failing };
}

/** `GET /healthz`: 200 when every configured dependency answers, else 503 naming the failing ones. */
export function registerGetHealthz(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'public', route, async (c) => {
    const health = await checkHealth(c.get('services'));
    if (health.status === 'ok') return c.json(health, 200);
    c.get('log').warn({ failing: health.failing }, 'health check failing');
    return c.json(health, 503);
  });
}
