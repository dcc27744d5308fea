import type { AddressInfo } from 'node:net';
import { createSlotReadModel } from '@affection/bookings';
import {
  createDatabaseChangeFeed,
  createId,
  createStaff,
  createStaffSession,
  type Database,
  type DatabaseChangeFeed,
  migrateDatabase,
  openDatabase,
  schema,
  selectRows,
} from '@affection/db';
import type { TestPostgres } from '@affection/test-support';
import {
  type ApiWorld,
  createApiWorld,
  createTestPostgres,
  getFreeTcpPort,
  type TestDatabaseKind,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { createStaffSessionCache } from '../../apps/server/src/auth/staff-session-cache.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';
import type { AppServices } from '../../apps/server/src/services.ts';

/** Monday 2 March 2026, 08:00 in Shanghai: the clock of this file. */
const NOW = new Date('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A slot of the grid, `days` after NOW's Monday, at `time` in Shanghai. */
const slotAt = (time: string, days = 0) => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return new Date(NOW.getTime() + days * DAY + (h - 8) * HOUR + m * 60_000);
};
const SLOT_TIMES = ['12:00', '12:20', '12:40', '13:00', '16:30', '16:50', '17:10', '17:30'];

interface SeededHousehold {
  id: string;
  childIds: string[];
  contactIds: string[];
}

interface Fixture {
  url: string;
  database: Database;
  homeId: string;
  kioskIds: string[];
  households: SeededHousehold[];
  headers: Record<string, string>;
}

/** A deterministic pseudo-random source (mulberry32), so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each<TestDatabaseKind>(['postgres', 'pglite'])('no double booking under concurrency (%s)', (kind) => {
  let world: ApiWorld;
  let postgres: TestPostgres | undefined;
  let database: Database;
  let server: ServerType;
  let url: string;
  let staffId: string;
  let changes: DatabaseChangeFeed | undefined;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    if (kind === 'postgres') {
      postgres = await createTestPostgres();
      database = await openDatabase({ kind: 'postgres', url: postgres.url, maxConnections: 20 });
      await migrateDatabase(database);
    } else {
      database = world.database;
    }
    // Composed over this database as the server composes it: slot decisions and sessions from memory.
    changes = await createDatabaseChangeFeed(database);
    const services: AppServices = {
      ...world.services,
      database,
      now: () => NOW,
      slotReadModel: createSlotReadModel({ db: database.db, changes }),
      staffSessions: createStaffSessionCache({ db: database.db, changes }),
    };
    const app = createApp(services);
    const port = await getFreeTcpPort();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await changes?.close();
    if (postgres) {
      await database?.close();
      await postgres.drop();
    }
    await world?.close();
  });

  /** A Home with `kiosks` kiosks, open Mon–Fri 12:00–13:30 and 16:30–18:00, and `count` households. */
  async function seedFixture(options: {
    kiosks: number;
    households: number;
    childrenEach: number;
    contactsEach: number;
    quota: number;
  }): Promise<Fixture> {
    const db = database.db;
    const homeId = createId('home');
    await db
      .insert(schema.homes)
      .values({ id: homeId, name: '并发之家', weeklyQuotaPerChild: options.quota, bookingHorizonDays: 14 });
    await db.insert(schema.openingRules).values(
      [1, 2, 3, 4, 5].flatMap((weekday) => [
        { id: createId('openingRule'), homeId, weekday, startTime: '12:00', endTime: '13:30' },
        { id: createId('openingRule'), homeId, weekday, startTime: '16:30', endTime: '18:00' },
      ]),
    );
    const kioskIds = Array.from({ length: options.kiosks }, () => createId('kiosk'));
    await db
      .insert(schema.kiosks)
      .values(kioskIds.map((id, i) => ({ id, homeId, name: `${i + 1}号机`, enrolledAt: new Date() })));
    const teacher = await createStaff(db, homeId, {
      role: 'teacher',
      displayName: '值班老师',
      username: `t-${homeId}`,
      passwordHash: 'not-used',
    });
    staffId = teacher.id;
    const token = newToken();
    const csrf = newToken();
    await createStaffSession(db, {
      staffId: teacher.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now: NOW,
      expiresAt: new Date(NOW.getTime() + 12 * HOUR),
    });
    const households: SeededHousehold[] = [];
    const householdRows: (typeof schema.households.$inferInsert)[] = [];
    const childRows: (typeof schema.children.$inferInsert)[] = [];
    const contactRows: (typeof schema.contacts.$inferInsert)[] = [];
    for (let h = 0; h < options.households; h += 1) {
      const id = createId('household');
      householdRows.push({ id, homeId, name: `家${h}` });
      const childIds = Array.from({ length: options.childrenEach }, () => createId('child'));
      for (const childId of childIds) {
        childRows.push({ id: childId, homeId, householdId: id, familyName: '王', givenName: '小明' });
      }
      const contactIds = Array.from({ length: options.contactsEach }, () => createId('contact'));
      for (const [i, contactId] of contactIds.entries()) {
        contactRows.push({
          id: contactId,
          homeId,
          householdId: id,
          name: '王家长',
          relation: i === 0 ? 'mother' : 'father',
          phone: `+86139${String(households.length * 10 + i).padStart(8, '0')}`,
          approvedBy: staffId,
          approvedAt: NOW,
        });
      }
      households.push({ id, childIds, contactIds });
    }
    await db.insert(schema.households).values(householdRows);
    await db.insert(schema.children).values(childRows);
    await db.insert(schema.contacts).values(contactRows);
    return {
      url,
      database,
      homeId,
      kioskIds,
      households,
      headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf, 'content-type': 'application/json' },
    };
  }

  async function post(fixture: Fixture, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${fixture.url}${path}`, {
      method: 'POST',
      headers: fixture.headers,
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  }

  const reasonOf = (json: unknown) => (json as { error?: { details?: { reason?: string } } }).error?.details?.reason;

  it('gives one slot with one free kiosk to exactly one of 200 concurrent households', async () => {
    const fixture = await seedFixture({ kiosks: 1, households: 200, childrenEach: 1, contactsEach: 1, quota: 1 });
    const start = slotAt('12:00');
    const results = await Promise.all(
      fixture.households.map((h) =>
        post(fixture, '/api/bookings', { householdId: h.id, contactId: h.contactIds[0], start: start.toISOString() }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => reasonOf(r.json)))).toEqual(
      new Set(['slot-taken']),
    );
    const rows = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bookings where home_id = ${fixture.homeId}`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("lets only one of a household's concurrent bookings take the week's last call", async () => {
    const fixture = await seedFixture({ kiosks: 4, households: 1, childrenEach: 1, contactsEach: 1, quota: 1 });
    const [household] = fixture.households as [SeededHousehold];
    const starts = [0, 1, 2, 3].flatMap((day) => SLOT_TIMES.map((time) => slotAt(time, day)));
    const results = await Promise.all(
      starts.map((start) =>
        post(fixture, '/api/bookings', {
          householdId: household.id,
          contactId: household.contactIds[0],
          start: start.toISOString(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${reasonOf(r.json)}`))).toEqual(
      new Set(['409 quota-reached']),
    );
  });

  it('leaves no kiosk, child or contact in two overlapping active bookings after 1,000 random operations', async () => {
    const fixture = await seedFixture({ kiosks: 3, households: 40, childrenEach: 2, contactsEach: 2, quota: 14 });
    const random = seededRandom(20260302);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const starts = [0, 1].flatMap((day) => SLOT_TIMES.map((time) => slotAt(time, day)));
    const bookingIds: string[] = [];
    const outcomes = new Map<string, number>();
    let next = 0;
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

    async function runOne(): Promise<void> {
      const roll = random();
      if (roll < 0.55 || bookingIds.length === 0) {
        const household = pick(fixture.households);
        const children = random() < 0.5 ? undefined : [pick(household.childIds)];
        const contactId = pick(household.contactIds);
        const second = household.contactIds.find((c) => c !== contactId);
        const res = await post(fixture, '/api/bookings', {
          householdId: household.id,
          contactId,
          ...(children ? { childIds: children } : {}),
          ...(random() < 0.2 && second ? { secondContactId: second } : {}),
          ...(random() < 0.3 ? { kioskId: pick(fixture.kioskIds) } : {}),
          start: pick(starts).toISOString(),
        });
        if (res.status === 201) bookingIds.push((res.json as { id: string }).id);
        count(`book ${res.status} ${reasonOf(res.json) ?? ''}`.trim());
      } else if (roll < 0.85) {
        const res = await post(fixture, `/api/bookings/${pick(bookingIds)}/reschedule`, {
          start: pick(starts).toISOString(),
          ...(random() < 0.3 ? { kioskId: pick(fixture.kioskIds) } : {}),
        });
        count(`reschedule ${res.status} ${reasonOf(res.json) ?? ''}`.trim());
      } else {
        const res = await post(fixture, `/api/bookings/${pick(bookingIds)}/cancel`, { reason: '测试取消' });
        count(`cancel ${res.status} ${reasonOf(res.json) ?? ''}`.trim());
      }
    }

    // 1,000 operations with up to 50 in flight at any moment.
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 1000) {
          next += 1;
          await runOne();
        }
      }),
    );
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(1000);
    const unexpected = [...outcomes.keys()].filter((k) => !/ (200|201|409|422)( |$)/.test(k));
    expect(unexpected).toEqual([]);
    expect(outcomes.get('book 201') ?? 0).toBeGreaterThan(20);
    expect([...outcomes.keys()].some((k) => k.startsWith('reschedule 200'))).toBe(true);
    expect([...outcomes.keys()].some((k) => k.startsWith('cancel 200'))).toBe(true);

    const holding = sql.raw(`('proposed', 'confirmed', 'in-progress')`);
    const kioskOverlaps = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bookings a join bookings b
            on a.kiosk_id = b.kiosk_id and a.id < b.id
           and tstzrange(a.start_at, a.end_at, '[)') && tstzrange(b.start_at, b.end_at, '[)')
         where a.home_id = ${fixture.homeId} and a.status in ${holding} and b.status in ${holding}`,
    );
    const childOverlaps = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n
            from booking_children x join bookings a on a.id = x.booking_id
            join booking_children y on y.child_id = x.child_id and y.booking_id > x.booking_id
            join bookings b on b.id = y.booking_id
           where a.home_id = ${fixture.homeId} and a.status in ${holding} and b.status in ${holding}
             and tstzrange(a.start_at, a.end_at, '[)') && tstzrange(b.start_at, b.end_at, '[)')`,
    );
    const contactOverlaps = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n
            from booking_contacts x join bookings a on a.id = x.booking_id
            join booking_contacts y on y.contact_id = x.contact_id and y.booking_id > x.booking_id
            join bookings b on b.id = y.booking_id
           where a.home_id = ${fixture.homeId} and a.status in ${holding} and b.status in ${holding}
             and tstzrange(a.start_at, a.end_at, '[)') && tstzrange(b.start_at, b.end_at, '[)')`,
    );
    // The link rows mirror their booking (the constraints on them rely on it).
    const stale = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bookings b join booking_children x on x.booking_id = b.id
           where b.home_id = ${fixture.homeId}
             and (x.start_at <> b.start_at or x.end_at <> b.end_at
                  or x.active <> case when b.status in ${holding} then 1 else 0 end)`,
    );
    const active = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bookings where home_id = ${fixture.homeId} and status in ${holding}`,
    );
    expect({
      kioskOverlaps: kioskOverlaps[0]?.n,
      childOverlaps: childOverlaps[0]?.n,
      contactOverlaps: contactOverlaps[0]?.n,
      staleLinks: stale[0]?.n,
    }).toEqual({ kioskOverlaps: 0, childOverlaps: 0, contactOverlaps: 0, staleLinks: 0 });
    expect(active[0]?.n).toBeGreaterThan(0);
    expect(active[0]?.n).toBeLessThanOrEqual(starts.length * fixture.kioskIds.length);
  });
});
