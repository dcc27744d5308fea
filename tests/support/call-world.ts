import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { type AppConfig, loadConfig } from '@affection/config';
import { listHomes, seedDemoHome } from '@affection/db';
import { createBookingLifecycleProducer, enqueueCallEvent } from '@affection/jobs';
import {
  createRuntime,
  getFreeTcpPort,
  type LivekitServer,
  type RedisServer,
  startLivekit,
  startRedis,
} from '@affection/runtime';
import type { ApiResponse } from '@affection/server/contract';
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from '../../apps/server/src/app.ts';
import { hashPassword } from '../../apps/server/src/auth/passwords.ts';
import { CSRF_HEADER } from '../../apps/server/src/auth/session-settings.ts';
import { type RunningServer, startServer } from '../../apps/server/src/main.ts';
import { type RunningWorkerProcess, startWorker } from '../../apps/worker/src/main.ts';
import { createTestPostgres, type TestPostgres } from './postgres.ts';

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** The front ends a test can build. */
export type WebAppName = 'kiosk' | 'family' | 'console';

/**
 * Builds the named front ends of this checkout into `<outDir>/<name>/dist`, each in a child process with
 * NODE_ENV=production as `npm run build` does (under vitest's NODE_ENV=test Vite would build a development
 * bundle), never touching `apps/<name>/dist`. The others get an empty folder, which keeps the static server quiet.
 */
export async function buildWebApps(outDir: string, names: readonly WebAppName[]): Promise<void> {
  for (const name of names) {
    await execFileAsync(
      process.execPath,
      [
        path.join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--outDir',
        path.join(outDir, name, 'dist'),
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: path.join(root, 'apps', name), env: { NODE_ENV: 'production' } },
    );
  }
  await Promise.all(
    (['kiosk', 'family', 'console'] as const)
      .filter((name) => !names.includes(name))
      .map((name) => mkdir(path.join(outDir, name, 'dist'), { recursive: true })),
  );
}

/** A signed-in staff member talking to the server over HTTP, as the console does. */
export interface StaffClient {
  /** A request with the session cookie (and the CSRF token on changes); `json` is sent as the body. */
  request(pathname: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  /** {@link StaffClient.request} that expects `status` (default any 2xx) and returns the JSON body. */
  json<T>(pathname: string, init?: { method?: string; json?: unknown; status?: number }): Promise<T>;
}

/** Options for {@link startCallWorld}. */
export interface CallWorldOptions {
  /** Front ends to build and serve. Default kiosk and family. */
  apps?: readonly WebAppName[];
}

/**
 * The product as `npm start` runs it, on throwaway services: our own Redis, a throwaway PostgreSQL database,
 * a LiveKit server posting its webhooks to the server, the server with the workers in its process and the demo
 * Home seeded into the empty database (as `scripts/start.ts` does), and this checkout's front ends built for
 * production.
 */
export interface CallWorld {
  /**
   * Where browsers go (PUBLIC_URL): the server's own app, built by `createApp` on the running server's
   * services, serving the front ends built for this test. `startServer` serves `apps/<name>/dist`, which a
   * test must not build into while others may.
   */
  webUrl: string;
  /** The server's own listener: LiveKit posts its webhooks here. */
  serverUrl: string;
  server: RunningServer;
  workers: RunningWorkerProcess;
  livekit: LivekitServer;
  redis: RedisServer;
  config: AppConfig;
  /** Every JSON log line of the server and the workers. */
  logs: Record<string, unknown>[];
  /** The folder holding `<app>/dist`. */
  appsDir: string;
  /** Closes the idle keep-alive connections browsers hold to {@link CallWorld.webUrl}: their next load connects anew. */
  closeIdleConnections(): Promise<void>;
  /** Signs a staff member in with `POST /api/auth/login`. */
  signIn(login: string, password: string): Promise<StaffClient>;
  close(): Promise<void>;
}

async function listen(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<ServerType> {
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  await once(server, 'listening');
  return server;
}

function closeServer(server: ServerType | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/**
 * Signs a staff member in over HTTP at `baseUrl` and returns a client carrying the session cookie and, on changes,
 * the CSRF token. `timeoutMs` bounds each request (none by default).
 */
export async function signInStaffOverHttp(
  baseUrl: string,
  login: string,
  password: string,
  options: { timeoutMs?: number } = {},
): Promise<StaffClient> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${login} answered ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as ApiResponse<'POST /api/auth/login'>;
  const request: StaffClient['request'] = (pathname, init = {}) => {
    const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { cookie };
    if (method !== 'GET') headers[CSRF_HEADER] = csrfToken;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${baseUrl}${pathname}`, {
      method,
      headers,
      ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  };
  return {
    request,
    async json<T>(pathname: string, init: { method?: string; json?: unknown; status?: number } = {}) {
      const answer = await request(pathname, init);
      const text = await answer.text();
      const isExpected = init.status === undefined ? answer.ok : answer.status === init.status;
      if (!isExpected) throw new Error(`${init.method ?? 'GET'} ${pathname} answered ${answer.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/** Starts a {@link CallWorld}. Everything it started is stopped by `close()`, also when starting fails. */
export async function startCallWorld(options: CallWorldOptions = {}): Promise<CallWorld> {
  const stops: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-call-web-'));
    stops.push(() => rm(appsDir, { recursive: true, force: true }));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-call-data-'));
    stops.push(() => rm(dataDir, { recursive: true, force: true }));
    const [redis, postgres] = await Promise.all([
      startRedis(),
      createTestPostgres(),
      buildWebApps(appsDir, options.apps ?? ['kiosk', 'family']),
    ]);
    stops.push(() => redis.stop());
    stops.push(() => (postgres as TestPostgres).drop());
    const serverPort = await getFreeTcpPort();
    const webPort = await getFreeTcpPort();
    const serverUrl = `http://127.0.0.1:${serverPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    const livekit = await startLivekit({ webhookUrls: [`${serverUrl}/webhooks/livekit`] });
    stops.push(() => livekit.stop());
    const config = loadConfig(
      {
        PORT: String(serverPort),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PUBLIC_URL: webUrl,
        DATABASE_URL: (postgres as TestPostgres).url,
        REDIS_URL: redis.url,
        LIVEKIT_URL: livekit.wsUrl,
        LIVEKIT_API_KEY: livekit.apiKey,
        LIVEKIT_API_SECRET: livekit.apiSecret,
        LOG_LEVEL: 'info',
      },
      root,
    );
    const logs: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
        done();
      },
    });
    // As scripts/start.ts: one runtime, the demo Home into the empty database, the workers in this process on its
    // database, and the server handing LiveKit events and changed bookings straight to their queues.
    const runtime = await createRuntime(config, { service: 'affection', logDestination: destination });
    stops.push(async () => {
      await runtime.closeConnections();
      await runtime.closeDatabase();
    });
    if ((await listHomes(runtime.database.db)).length === 0) {
      await seedDemoHome(runtime.database.db, { hashPassword, now: runtime.now() });
    }
    const workers = await startWorker(runtime);
    stops.push(() => workers.close());
    const lifecycle = createBookingLifecycleProducer({
      queues: workers.workers,
      db: runtime.database.db,
      now: runtime.now,
      logger: runtime.logger,
      smsPolicies: runtime.smsPolicies,
    });
    const { callEventsQueue } = workers.workers;
    const server = await startServer(
      runtime,
      {
        onBookingChanged: lifecycle.onBookingChanged,
        onLivekitEvent: (_event, stored) => enqueueCallEvent(callEventsQueue, stored.webhookEventId),
      },
      { serveWeb: false },
    );
    stops.push(() => server.close());
    const web = await listen(createApp(server.services, { appsDir }).fetch, webPort);
    stops.push(() => closeServer(web));

    return {
      webUrl,
      serverUrl,
      server,
      workers,
      livekit,
      redis,
      config,
      logs,
      appsDir,
      async closeIdleConnections() {
        if ('closeIdleConnections' in web) web.closeIdleConnections();
      },
      signIn: (login, password) => signInStaffOverHttp(webUrl, login, password),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
