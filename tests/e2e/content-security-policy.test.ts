import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  buildWebApps,
  type ChromiumSession,
  createApiWorld,
  getFreeTcpPort,
  type LivekitServer,
  launchChromium,
  startLivekit,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

/** What each page must show once it has run, so that a blocked script or style would show. */
const PAGES = [
  { path: '/kiosk/', ready: '#app *' },
  { path: '/family/', ready: '#app *' },
  { path: '/console/', ready: '#app *' },
  // Opening an operation renders its schemas and examples too.
  { path: '/api/docs', ready: '.swagger-ui .opblock', open: '.swagger-ui .opblock-summary' },
] as const;

describe('each page runs in Chromium under its Content-Security-Policy with nothing refused', () => {
  let world: ApiWorld;
  let livekit: LivekitServer;
  let server: ServerType;
  let baseUrl: string;
  let appsDir: string;
  let session: ChromiumSession;

  beforeAll(async () => {
    appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-csp-e2e-'));
    [livekit] = await Promise.all([startLivekit(), buildWebApps(appsDir, ['kiosk', 'family', 'console'])]);
    const port = await getFreeTcpPort();
    world = await createApiWorld('pglite', {
      publicUrl: `http://127.0.0.1:${port}`,
      callRooms: new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }),
      livekitClientUrl: livekit.wsUrl,
    });
    const app = createApp(world.services, { appsDir });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${port}`;
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await world?.close();
    await livekit?.stop();
    if (appsDir) await rm(appsDir, { recursive: true, force: true });
  });

  for (const page of PAGES) {
    it(`${page.path} carries a policy and breaks none of it`, async () => {
      const tab = await session.context.newPage();
      const refused: string[] = [];
      await tab.exposeFunction('reportRefused', (what: string) => refused.push(what));
      await tab.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          (window as unknown as { reportRefused(what: string): void }).reportRefused(
            `${event.effectiveDirective} ${event.blockedURI}`,
          );
        });
      });
      tab.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      const res = await tab.goto(`${baseUrl}${page.path}`);
      expect(res?.status()).toBe(200);
      expect(await res?.headerValue('content-security-policy')).toMatch(/default-src 'self'/);
      await tab.waitForSelector(page.ready, { timeout: 30_000 });
      if ('open' in page) {
        await tab.click(page.open);
        await tab.waitForSelector('.swagger-ui .opblock.is-open .opblock-body', { timeout: 30_000 });
      }
      await tab.waitForLoadState('networkidle');
      expect(refused).toEqual([]);
      await tab.close();
    });
  }
});
