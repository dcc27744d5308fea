import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createId, listOutgoingSmsOfHome, schema } from '@affection/db';
import { createBookingLifecycleProducer, createHomeChangeFeed, createProducerConnection } from '@affection/jobs';
import {
  type ApiWorld,
  buildWebApps,
  type ChromiumSession,
  createApiWorld,
  getFreeTcpPort,
  hasNoSideScroll,
  launchChromium,
  openParentLink,
  ScreenAudit,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
/** A cheap Android phone. */
const SMALL_PHONE_VIEWPORT = { width: 360, height: 740 };

describe('the parents’ page learns of a "call now" while it is open (Chromium, real server)', () => {
  let world: ApiWorld;
  let server: ServerType;
  let buildDir: string;
  let subscriber: Redis;
  let publisher: Redis;
  let producerConnection: Redis;
  let session: ChromiumSession | undefined;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // This checkout's page, built into a folder of our own (as `npm run build` does, with NODE_ENV=production).
    buildDir = await mkdtemp(path.join(os.tmpdir(), 'affection-family-live-'));
    await buildWebApps(buildDir, ['family']);
    const port = await getFreeTcpPort();
    world = await createApiWorld('pglite', { publicUrl: `http://127.0.0.1:${port}` });
    const db = world.database.db;
    // Open all day, every day, so that "call now" is allowed whenever the test runs; the kiosk was just seen.
    await db.insert(schema.openingRules).values(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        id: createId('openingRule'),
        homeId: world.a.home.id,
        weekday,
        startTime: '00:00',
        endTime: '23:59',
      })),
    );
    await db
      .update(schema.kiosks)
      .set({ lastSeenAt: world.services.now() })
      .where(eq(schema.kiosks.homeId, world.a.home.id));
    // The real change feed (Redis pub/sub) and the lifecycle producer, as the server process wires them.
    subscriber = new Redis(world.redisServer.url);
    publisher = new Redis(world.redisServer.url);
    world.services.homeChanges = createHomeChangeFeed({ subscriber, publisher });
    producerConnection = createProducerConnection(world.redisServer.url);
    producerConnection.on('error', () => {});
    const producer = createBookingLifecycleProducer({
      connection: producerConnection,
      db,
      now: world.services.now,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    world.services.onBookingChanged = producer.onBookingChanged;
    const app = createApp(world.services, { appsDir: buildDir });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    subscriber?.disconnect();
    publisher?.disconnect();
    producerConnection?.disconnect();
    await world?.close();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it('shows a call made through the API within 5 s of the request, with the SMS in the outbox', async () => {
    const link = await world.request(`/api/contacts/${world.a.contact.id}/enrolment-link`, {
      as: 'teacherA',
      json: {},
    });
    expect(link.status).toBe(201);
    const { url } = (await link.json()) as { url: string };
    session = await launchChromium({ viewport: SMALL_PHONE_VIEWPORT });
    const page = await session.context.newPage();
    const streamOpened = page.waitForResponse((response) => response.url().endsWith('/api/family/stream'));
    await openParentLink(page, url);
    await page.locator('.next-call.none').waitFor();
    expect((await streamOpened).status()).toBe(200);
    // The parent's first tap lets the page make its sound later.
    await page.locator('h1').click();
    expect(await audit.check(page, 'family-live-no-call')).toEqual([]);

    const started = performance.now();
    const made = await world.request('/api/bookings/adhoc', {
      as: 'adminA',
      json: { householdId: world.a.household.id, contactId: world.a.contact.id },
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    await page.locator('.next-call:not(.none)').waitFor({ timeout: 10_000 });
    const shownAfterMs = performance.now() - started;
    console.log(JSON.stringify({ familyLiveShownAfterMs: Math.round(shownAfterMs) }));
    expect(shownAfterMs).toBeLessThan(5_000);
    expect(await page.getByTestId('next-call').textContent()).toContain('小明');
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'family-live-call-now')).toEqual([]);

    // The parent was texted at once, without a link, from the Home's own name.
    const { items } = await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 100, offset: 0 });
    const sms = items.find((m) => m.dedupeKey === `${id}-call-now-sms-v1`);
    expect(sms?.toPhone).toBe(world.a.contact.phone);
    expect(sms?.body).toMatch(/^小明在学校等您视频，请现在打开亲情电话页面。【.+】$/);
    // Home B's outbox has nothing of it.
    const { items: itemsB } = await listOutgoingSmsOfHome(world.database.db, world.b.home.id, {
      limit: 100,
      offset: 0,
    });
    expect(itemsB.some((m) => m.dedupeKey?.startsWith(id))).toBe(false);
  });
});
