import {
  createBooking,
  eraseChild,
  listAuditForSubject,
  saveChildMood,
  setCallOutcome,
  storeWebhookEventOnce,
} from '@affection/db';
import { updateCallLog } from '@affection/jobs';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface CallsPage {
  items: {
    callLogId: string;
    bookingId: string;
    slotStart: string;
    slotEnd: string;
    bookingStatus: string;
    outcome: string | null;
    startedAt: string | null;
    endedAt: string | null;
    durationSeconds: number | null;
    overlapSeconds: number;
    mood: number | null;
  }[];
  total: number;
  limit: number;
  offset: number;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])(
  "GET /api/children/{id}/calls: a child's calls (%s)",
  (kind) => {
    let world: ApiWorld;
    // Monday 16 November 2026, 12:15 in Beijing.
    const START = new Date('2026-11-16T04:15:00Z');
    const bookingIds: string[] = [];
    let eventCount = 0;

    /** Stores a LiveKit event the way the webhook keeps it (ids, types and times only). */
    async function storeEvent(bookingId: string, type: string, at: Date, identity: string | null, joinedAt?: Date) {
      eventCount += 1;
      await storeWebhookEventOnce(world.database.db, {
        source: 'livekit',
        eventId: `EV_calls${eventCount}`,
        eventType: type.replaceAll('-', '_'),
        subject: bookingId,
        payload: {
          type,
          providerType: type.replaceAll('-', '_'),
          occurredAt: at.toISOString(),
          roomName: bookingId,
          bookingId,
          homeId: world.a.home.id,
          participant: identity
            ? {
                identity,
                kind: identity.startsWith('kid:') ? 'kiosk' : 'web',
                joinedAt: (joinedAt ?? at).toISOString(),
              }
            : null,
        },
        now: at,
      });
    }

    beforeAll(async () => {
      world = await createApiWorld(kind);
      const db = world.database.db;
      const { a } = world;
      for (let week = 0; week < 3; week += 1) {
        const start = new Date(START.getTime() + week * 7 * 86_400_000);
        const created = await createBooking(db, {
          homeId: a.home.id,
          kioskId: a.kiosk.id,
          householdId: a.household.id,
          contactId: a.contact.id,
          childIds: [a.child.id],
          start,
          end: new Date(start.getTime() + 15 * 60_000),
          status: 'confirmed',
          source: 'teacher',
          now: new Date(START.getTime() - 86_400_000),
        });
        if (!created.ok) throw new Error(created.reason);
        bookingIds.push(created.booking.id);
      }
      // Week 1: a ten-minute call, the child's face 5. Week 2: Mum never came. Week 3: still ahead, no log.
      const [first, second] = bookingIds as [string, string];
      const kid = `kid:${a.child.id}`;
      const mum = `parent:${a.contact.id}`;
      const at = (base: string, seconds: number) => new Date(new Date(base).getTime() + seconds * 1000);
      await storeEvent(first, 'room-started', at('2026-11-16T04:14:00Z', 0), null);
      await storeEvent(first, 'participant-joined', at('2026-11-16T04:15:00Z', 0), kid);
      await storeEvent(first, 'participant-joined', at('2026-11-16T04:15:00Z', 30), mum);
      await storeEvent(first, 'participant-left', at('2026-11-16T04:15:00Z', 630), mum, at('2026-11-16T04:15:00Z', 30));
      await storeEvent(first, 'participant-left', at('2026-11-16T04:15:00Z', 640), kid, at('2026-11-16T04:15:00Z', 0));
      await storeEvent(second, 'participant-joined', at('2026-11-23T04:15:00Z', 5), kid);
      await storeEvent(second, 'participant-left', at('2026-11-23T04:15:00Z', 900), kid, at('2026-11-23T04:15:00Z', 5));
      for (const id of [first, second]) await updateCallLog(db, id, { now: new Date('2026-11-23T05:00:00Z') });
      const now = new Date('2026-11-23T05:00:00Z');
      await setCallOutcome(db, { homeId: a.home.id, bookingId: first, outcome: 'completed', now });
      await setCallOutcome(db, { homeId: a.home.id, bookingId: second, outcome: 'parent-no-show', now });
      await saveChildMood(db, { homeId: a.home.id, bookingId: first, childId: a.child.id, mood: 5, now });
    });
    afterAll(async () => {
      await world?.close();
    });

    it('lists the call logs newest first with outcome, times, duration, time together and mood', async () => {
      const res = await world.request(`/api/children/${world.a.child.id}/calls`, { as: 'teacherA' });
      expect(res.status).toBe(200);
      const page = (await res.json()) as CallsPage;
      expect(page).toMatchObject({ total: 2, limit: 50, offset: 0 });
      expect(page.items).toEqual([
        {
          callLogId: expect.stringMatching(/^cal_/),
          bookingId: bookingIds[1],
          slotStart: '2026-11-23T04:15:00.000Z',
          slotEnd: '2026-11-23T04:30:00.000Z',
          bookingStatus: 'confirmed',
          outcome: 'parent-no-show',
          startedAt: '2026-11-23T04:15:05.000Z',
          endedAt: '2026-11-23T04:30:00.000Z',
          durationSeconds: 895,
          overlapSeconds: 0,
          mood: null,
        },
        {
          callLogId: expect.stringMatching(/^cal_/),
          bookingId: bookingIds[0],
          slotStart: '2026-11-16T04:15:00.000Z',
          slotEnd: '2026-11-16T04:30:00.000Z',
          bookingStatus: 'confirmed',
          outcome: 'completed',
          startedAt: '2026-11-16T04:15:00.000Z',
          endedAt: '2026-11-16T04:25:40.000Z',
          durationSeconds: 640,
          overlapSeconds: 600,
          mood: 5,
        },
      ]);
    });

    it('pages', async () => {
      const res = await world.request(`/api/children/${world.a.child.id}/calls?limit=1&offset=1`, { as: 'teacherA' });
      const page = (await res.json()) as CallsPage;
      expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(page.items.map((i) => i.bookingId)).toEqual([bookingIds[0]]);
    });

    it('records each read as an audit event with ids only', async () => {
      const readsByAdmin = async () =>
        (await listAuditForSubject(world.database.db, 'child', world.a.child.id)).filter(
          (e) => e.action === 'child.calls-read' && e.actorId === world.a.admin.id,
        );
      const before = (await readsByAdmin()).length;
      await world.request(`/api/children/${world.a.child.id}/calls`, { as: 'adminA' });
      const events = await readsByAdmin();
      expect(events).toHaveLength(before + 1);
      expect(events[0]).toMatchObject({
        actorKind: 'staff',
        homeId: world.a.home.id,
        subjectKind: 'child',
        details: null,
      });
    });

    it("shows another Home's child to nobody, and refuses callers who are not staff", async () => {
      const other = await world.request(`/api/children/${world.a.child.id}/calls`, { as: 'teacherB' });
      expect(other.status).toBe(404);
      expect((await world.request(`/api/children/${world.a.child.id}/calls`)).status).toBe(401);
      expect((await world.request(`/api/children/${world.a.child.id}/calls`, { as: 'kioskA' })).status).toBe(403);
      expect((await world.request(`/api/children/${world.a.child.id}/calls`, { as: 'familyA' })).status).toBe(403);
      expect((await world.request('/api/children/not-an-id/calls', { as: 'teacherA' })).status).toBe(400);
      expect((await world.request('/api/children/chd_0000000000000000/calls', { as: 'teacherA' })).status).toBe(404);
    });

    it('shows nothing of an erased child', async () => {
      const db = world.database.db;
      const res = await world.request(`/api/children/${world.b.child.id}/calls`, { as: 'teacherB' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as CallsPage).total).toBe(0);
      await eraseChild(db, world.b.home.id, world.b.child.id, new Date());
      expect((await world.request(`/api/children/${world.b.child.id}/calls`, { as: 'teacherB' })).status).toBe(404);
    });
  },
);
