import {
  createBooking,
  createChild,
  createContact,
  createHousehold,
  createSeriesId,
  listAuditForSubject,
  replaceAvailabilityWindows,
} from '@affection/db';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../contract.ts';

type Cards = ApiResponse<'GET /api/contact-cards'>;

/** Wednesday 2026-09-09 12:15 in Shanghai, and the same time one week later. */
const WEDNESDAY = new Date('2026-09-09T04:15:00Z');
const WEEK = 7 * 86_400_000;

describe('GET /api/contact-cards', () => {
  let world: ApiWorld;
  let secondHouseholdId: string;
  let seriesId: string;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    world.setNow(new Date('2026-09-07T02:00:00Z'));
    const db = world.database.db;
    const now = world.services.now();
    const { a } = world;
    // A sibling with a class, a father not yet approved, and the mother's evening windows in her own zone.
    await createChild(db, a.home.id, {
      householdId: a.household.id,
      familyName: '王',
      givenName: '小红',
      className: '一年级一班',
    });
    await createContact(db, a.home.id, {
      householdId: a.household.id,
      name: '王建国',
      relation: 'father',
      phone: '+8613700001111',
    });
    await replaceAvailabilityWindows(db, a.home.id, a.contact.id, [
      { weekday: 3, startTime: '19:00', endTime: '21:00' },
    ]);
    // A standing weekly call on Wednesdays at 12:15, two occurrences ahead.
    seriesId = createSeriesId();
    for (const start of [WEDNESDAY, new Date(WEDNESDAY.getTime() + WEEK)]) {
      const booked = await createBooking(db, {
        homeId: a.home.id,
        kioskId: a.kiosk.id,
        householdId: a.household.id,
        contactId: a.contact.id,
        childIds: [a.child.id],
        start,
        end: new Date(start.getTime() + 15 * 60_000),
        status: 'confirmed',
        source: 'teacher',
        seriesId,
        now,
      });
      expect(booked.ok).toBe(true);
    }
    const second = await createHousehold(db, a.home.id, { name: '张家' });
    secondHouseholdId = second.id;
    await createChild(db, a.home.id, { householdId: second.id, familyName: '张', givenName: '小刚' });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("answers several households' cards in the order asked, with children, contacts and call times", async () => {
    const res = await world.request(`/api/contact-cards?households=${secondHouseholdId},${world.a.household.id}`, {
      as: 'teacherA',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Cards;
    expect(body.home).toEqual({ id: world.a.home.id, name: world.a.home.name, timeZone: 'Asia/Shanghai' });
    expect(body.cards.map((card) => card.household.name)).toEqual(['张家', '王家']);
    const [zhang, wang] = body.cards;
    expect(zhang?.children.map((child) => child.name)).toEqual(['张小刚']);
    expect(zhang?.contacts).toEqual([]);
    expect(zhang?.series).toEqual([]);
    expect(wang?.children).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '王小明', className: null }),
        expect.objectContaining({ name: '王小红', className: '一年级一班' }),
      ]),
    );
    const mother = wang?.contacts.find((contact) => contact.relation === 'mother');
    const father = wang?.contacts.find((contact) => contact.relation === 'father');
    expect(mother).toMatchObject({ name: '李秀英', approved: true, channel: 'video' });
    expect(mother?.windows).toEqual([{ weekday: 3, startTime: '19:00', endTime: '21:00' }]);
    expect(father).toMatchObject({ name: '王建国', approved: false });
    expect(wang?.series).toEqual([{ seriesId, weekday: 3, time: '12:15', minutes: 15, kioskName: '一号机' }]);
    expect(wang?.nextCalls.map((call) => call.start)).toEqual([
      WEDNESDAY.toISOString(),
      new Date(WEDNESDAY.getTime() + WEEK).toISOString(),
    ]);
    // The card carries the QR code, never a phone number.
    const text = JSON.stringify(body);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('13700001111');
  });

  it('records a read of each household it answers', async () => {
    await world.request(`/api/contact-cards?households=${world.a.household.id}`, { as: 'adminA' });
    const trail = await listAuditForSubject(world.database.db, 'household', world.a.household.id);
    const reads = trail.filter((event) => event.action === 'household.contact-card.read');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.at(-1)?.details).toMatchObject({ childIds: expect.arrayContaining([world.a.child.id]) });
  });

  it("never answers another Home's household, alone or among its own", async () => {
    for (const [who, households] of [
      ['teacherB', world.a.household.id],
      ['teacherA', world.b.household.id],
      ['teacherA', `${world.a.household.id},${world.b.household.id}`],
    ] as const) {
      const res = await world.request(`/api/contact-cards?households=${households}`, { as: who });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('王小明');
    }
    const own = await world.request(`/api/contact-cards?households=${world.b.household.id}`, { as: 'teacherB' });
    expect(((await own.json()) as Cards).home.id).toBe(world.b.home.id);
  });

  it('refuses a missing, malformed or too long list with a field problem', async () => {
    const tooMany = Array.from({ length: 61 }, (_, i) => `hsh_${String(i).padStart(16, '0')}`).join(',');
    for (const query of ['', '?households=', '?households=chd_0000000000000000', `?households=${tooMany}`]) {
      const res = await world.request(`/api/contact-cards${query}`, { as: 'teacherA' });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { details?: { fields?: { path: string }[] } } };
      expect(body.error.details?.fields?.[0]?.path).toBe('households');
    }
  });

  it('is for staff only', async () => {
    const url = `/api/contact-cards?households=${world.a.household.id}`;
    expect((await world.request(url)).status).toBe(401);
    expect((await world.request(url, { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(url, { as: 'familyA' })).status).toBe(403);
  });
});
