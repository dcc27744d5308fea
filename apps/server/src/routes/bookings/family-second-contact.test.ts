import {
  createChild,
  createContact,
  createId,
  createStaffSession,
  listAuditForSubject,
  schema,
  updateContact,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface BookingBody {
  id: string;
  contactId: string;
  secondContactId: string | null;
  status: string;
  version: number;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Monday 00:00 UTC (08:00 in Shanghai) of the first week after the real now. */
function comingMonday(): Date {
  const today = new Date();
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const daysToMonday = ((8 - new Date(midnight).getUTCDay()) % 7) + 7;
  return new Date(midnight + daysToMonday * DAY);
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])(
  'POST /api/family/bookings/{id}/second-contact (%s)',
  (kind) => {
    let world: ApiWorld;
    let monday: Date;
    let teacher: Record<string, string>;
    let fatherId: string;
    let uncleId: string;

    const at = (time: string, days = 0) => {
      const [h, m] = time.split(':').map(Number) as [number, number];
      return new Date(monday.getTime() + days * DAY + (h - 8) * HOUR + m * 60_000);
    };

    function call(
      path: string,
      as: 'familyA' | 'familyB' | 'teacherA' | 'anonymous',
      json: unknown,
    ): Promise<Response> {
      const headers = as === 'teacherA' ? teacher : world.headersFor(as);
      return Promise.resolve(
        world.app.request(path, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(json),
        }),
      );
    }

    async function expectRefusal(res: Response, status: number, reason: string): Promise<void> {
      const body = (await res.json()) as ErrorBody;
      expect({ status: res.status, reason: body.error.details?.reason }).toEqual({ status, reason });
      expect(CATALOGS['zh-CN']).toHaveProperty([`error.booking.${reason}`]);
      expect(CATALOGS.en).toHaveProperty([`error.booking.${reason}`]);
    }

    async function book(as: 'familyA' | 'familyB', start: Date): Promise<BookingBody> {
      const res = await call('/api/family/bookings', as, { start: start.toISOString() });
      expect(res.status).toBe(201);
      return (await res.json()) as BookingBody;
    }

    beforeAll(async () => {
      world = await createApiWorld(kind);
      monday = comingMonday();
      world.setNow(monday);
      const db = world.database.db;
      const token = newToken();
      const csrf = newToken();
      await createStaffSession(db, {
        staffId: world.a.teacher.id,
        tokenHash: hashToken(token),
        csrfToken: csrf,
        now: monday,
        expiresAt: new Date(monday.getTime() + HOUR),
      });
      teacher = { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
      for (const home of [world.a, world.b]) {
        await db.update(schema.homes).set({ weeklyQuotaPerChild: 10 }).where(eq(schema.homes.id, home.home.id));
        await db.insert(schema.openingRules).values(
          [1, 2, 3, 4, 5].map((weekday) => ({
            id: createId('openingRule'),
            homeId: home.home.id,
            weekday,
            startTime: '12:00',
            endTime: '13:30',
          })),
        );
      }
      const homeId = world.a.home.id;
      const father = await createContact(db, homeId, {
        householdId: world.a.household.id,
        name: '王建军',
        relation: 'father',
        phone: '+8613812349001',
      });
      await updateContact(db, homeId, father.id, { approvedBy: world.a.admin.id, approvedAt: monday }, monday);
      fatherId = father.id;
      const uncle = await createContact(db, homeId, {
        householdId: world.a.household.id,
        name: '王叔叔',
        relation: 'other',
        phone: '+8613812349002',
      });
      uncleId = uncle.id;
    });
    afterAll(async () => {
      await world?.close();
    });

    it('adds the other approved parent to a booked call, once, with the family as the actor of the audit row', async () => {
      const booking = await book('familyA', at('12:00', 1));
      const res = await call(`/api/family/bookings/${booking.id}/second-contact`, 'familyA', {
        contactId: fatherId,
        version: booking.version,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        id: booking.id,
        contactId: world.a.contact.id,
        secondContactId: fatherId,
        status: 'confirmed',
        version: booking.version + 1,
      });
      const trail = await listAuditForSubject(world.database.db, 'booking', booking.id);
      expect(trail.map((e) => [e.action, e.actorKind, e.actorId])).toContainEqual([
        'booking.add-contact',
        'family',
        world.a.contact.id,
      ]);
      await expectRefusal(
        await call(`/api/family/bookings/${booking.id}/second-contact`, 'familyA', { contactId: fatherId }),
        409,
        'has-second-contact',
      );
    });

    it('refuses the first contact, an unapproved one, a stale version, a cancelled call and a parent already busy', async () => {
      const booking = await book('familyA', at('12:20', 2));
      const path = `/api/family/bookings/${booking.id}/second-contact`;
      await expectRefusal(await call(path, 'familyA', { contactId: world.a.contact.id }), 422, 'same-contact');
      await expectRefusal(await call(path, 'familyA', { contactId: uncleId }), 422, 'contact-not-approved');
      await expectRefusal(await call(path, 'familyA', { contactId: world.b.contact.id }), 422, 'contact-not-approved');
      await expectRefusal(await call(path, 'familyA', { contactId: fatherId, version: 9 }), 409, 'not-active');
      const bad = await call(path, 'familyA', { contactId: 'not-an-id' });
      expect(bad.status).toBe(400);

      // The father is already on another call that overlaps: the household's other child's, booked by the teacher.
      const sister = await createChild(world.database.db, world.a.home.id, {
        householdId: world.a.household.id,
        familyName: '王',
        givenName: '小红',
      });
      // A second enrolled kiosk, so that two calls can overlap at all.
      await world.database.db
        .insert(schema.kiosks)
        .values({ id: createId('kiosk'), homeId: world.a.home.id, name: '2号机', enrolledAt: monday });
      const busy = await call('/api/bookings', 'teacherA', {
        householdId: world.a.household.id,
        contactId: fatherId,
        childIds: [sister.id],
        start: at('12:20', 2).toISOString(),
        source: 'teacher',
      });
      expect(busy.status).toBe(201);
      await expectRefusal(await call(path, 'familyA', { contactId: fatherId }), 409, 'contact-busy');

      const cancelled = await call(`/api/family/bookings/${booking.id}/cancel`, 'familyA', { reason: '孩子生病' });
      expect(cancelled.status).toBe(200);
      await expectRefusal(await call(path, 'familyA', { contactId: fatherId }), 409, 'not-active');
    });

    it('lets Home A’s teacher add him too (POST /api/bookings/{id}/second-contact); Home B’s teacher gets a 404', async () => {
      const booking = await book('familyA', at('12:40', 4));
      const path = `/api/bookings/${booking.id}/second-contact`;
      // Home B's teacher, signed in at the test's clock.
      const token = newToken();
      const csrf = newToken();
      await createStaffSession(world.database.db, {
        staffId: world.b.teacher.id,
        tokenHash: hashToken(token),
        csrfToken: csrf,
        now: monday,
        expiresAt: new Date(monday.getTime() + HOUR),
      });
      const fromB = await world.app.request(path, {
        method: 'POST',
        headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ contactId: fatherId }),
      });
      expect(fromB.status).toBe(404);
      expect((await call(path, 'familyA', { contactId: fatherId })).status).toBe(403);
      const res = await call(path, 'teacherA', { contactId: fatherId });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: booking.id, secondContactId: fatherId });
      const trail = await listAuditForSubject(world.database.db, 'booking', booking.id);
      expect(trail.map((e) => [e.action, e.actorKind, e.actorId])).toContainEqual([
        'booking.add-contact',
        'staff',
        world.a.teacher.id,
      ]);
      await expectRefusal(await call(path, 'teacherA', { contactId: fatherId }), 409, 'has-second-contact');
    });

    it('is a 404 for another household’s booking (Home B’s family either way); no family session: 401/403', async () => {
      const booking = await book('familyA', at('13:00', 1));
      const path = `/api/family/bookings/${booking.id}/second-contact`;
      const fromB = await call(path, 'familyB', { contactId: fatherId });
      expect(fromB.status).toBe(404);
      expect((await call(path, 'anonymous', { contactId: fatherId })).status).toBe(401);
      expect((await call(path, 'teacherA', { contactId: fatherId })).status).toBe(403);
      const theirs = await book('familyB', at('13:00', 1));
      expect(
        (await call(`/api/family/bookings/${theirs.id}/second-contact`, 'familyA', { contactId: fatherId })).status,
      ).toBe(404);
    });
  },
);
