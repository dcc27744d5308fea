import { createContact, listAuditForSubject, listAvailabilityWindowsOfHome } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface AvailabilityDto {
  contactId: string;
  timeZone: string;
  windows: { weekday: number; startTime: string; endTime: string }[];
}

interface ErrorDto {
  error: { code: string; details: { fields: { path: string; key: string }[] } };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('availability API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  let phoneSuffix = 1000;
  async function newContact(timeZone = 'Europe/Madrid'): Promise<string> {
    phoneSuffix += 1;
    const contact = await createContact(world.database.db, world.a.home.id, {
      householdId: world.a.household.id,
      name: '王建军',
      relation: 'father',
      phone: `+861381234${phoneSuffix}`,
      timeZone,
    });
    return contact.id;
  }

  function put(contactId: string, windows: unknown, as: 'teacherA' | 'teacherB' = 'teacherA') {
    return world.request(`/api/contacts/${contactId}/availability`, { as, method: 'PUT', json: { windows } });
  }

  it("replaces a contact's weekly windows, in the contact's own zone, and reads them back sorted", async () => {
    const id = await newContact();
    const empty = await world.request(`/api/contacts/${id}/availability`, { as: 'teacherA' });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ contactId: id, timeZone: 'Europe/Madrid', windows: [] });

    const saved = await put(id, [
      { weekday: 3, startTime: '20:00', endTime: '21:00' },
      { weekday: 1, startTime: '19:00', endTime: '20:00' },
      { weekday: 1, startTime: '12:00', endTime: '13:30' },
      // Touching the 19:00–20:00 window is fine.
      { weekday: 1, startTime: '20:00', endTime: '20:30' },
    ]);
    expect(saved.status).toBe(200);
    const expected = [
      { weekday: 1, startTime: '12:00', endTime: '13:30' },
      { weekday: 1, startTime: '19:00', endTime: '20:00' },
      { weekday: 1, startTime: '20:00', endTime: '20:30' },
      { weekday: 3, startTime: '20:00', endTime: '21:00' },
    ];
    expect(await saved.json()).toEqual({ contactId: id, timeZone: 'Europe/Madrid', windows: expected });
    const read = (await (
      await world.request(`/api/contacts/${id}/availability`, { as: 'teacherA' })
    ).json()) as AvailabilityDto;
    expect(read.windows).toEqual(expected);

    const replaced = await put(id, [{ weekday: 7, startTime: '09:00', endTime: '10:00' }]);
    expect(((await replaced.json()) as AvailabilityDto).windows).toEqual([
      { weekday: 7, startTime: '09:00', endTime: '10:00' },
    ]);
    const cleared = await put(id, []);
    expect(((await cleared.json()) as AvailabilityDto).windows).toEqual([]);

    const ofHome = await listAvailabilityWindowsOfHome(world.database.db, world.a.home.id);
    expect(ofHome.filter((w) => w.contactId === id)).toEqual([]);

    const trail = await listAuditForSubject(world.database.db, 'contact', id);
    expect(trail.map((e) => e.action).sort()).toEqual([
      'contact.availability.read',
      'contact.availability.read',
      'contact.availability.update',
      'contact.availability.update',
      'contact.availability.update',
    ]);
    expect(trail.find((e) => e.action === 'contact.availability.update')?.details).toEqual({ fields: ['windows'] });
  });

  it('answers 400 validation.time_order when a window does not end after it starts, and keeps the old windows', async () => {
    const id = await newContact();
    await put(id, [{ weekday: 2, startTime: '18:00', endTime: '19:00' }]);
    for (const bad of [
      { weekday: 1, startTime: '20:00', endTime: '19:00' },
      { weekday: 1, startTime: '20:00', endTime: '20:00' },
    ]) {
      const res = await put(id, [{ weekday: 5, startTime: '08:00', endTime: '09:00' }, bad]);
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorDto;
      expect(body.error.code).toBe('validation-failed');
      expect(body.error.details.fields).toEqual([
        expect.objectContaining({ path: 'windows.1.endTime', key: 'validation.time_order' }),
      ]);
    }
    const read = (await (
      await world.request(`/api/contacts/${id}/availability`, { as: 'teacherA' })
    ).json()) as AvailabilityDto;
    expect(read.windows).toEqual([{ weekday: 2, startTime: '18:00', endTime: '19:00' }]);
  });

  it('answers 400 validation.overlap for overlapping windows on one weekday, not across weekdays', async () => {
    const id = await newContact();
    const res = await put(id, [
      { weekday: 4, startTime: '19:00', endTime: '21:00' },
      { weekday: 4, startTime: '20:30', endTime: '22:00' },
      { weekday: 5, startTime: '20:30', endTime: '22:00' },
    ]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorDto).error.details.fields).toEqual([
      expect.objectContaining({ path: 'windows.1.startTime', key: 'validation.overlap' }),
    ]);
    const inside = await put(id, [
      { weekday: 4, startTime: '19:00', endTime: '22:00' },
      { weekday: 4, startTime: '20:00', endTime: '20:30' },
    ]);
    expect(inside.status).toBe(400);
  });

  it('answers 400 for more than 28 windows, a weekday outside 1–7, a bad time or an unknown field', async () => {
    const id = await newContact();
    const many = Array.from({ length: 29 }, (_, i) => ({
      weekday: (i % 7) + 1,
      startTime: `${String(8 + Math.floor(i / 7) * 2).padStart(2, '0')}:00`,
      endTime: `${String(9 + Math.floor(i / 7) * 2).padStart(2, '0')}:00`,
    }));
    expect((await put(id, many)).status).toBe(400);
    expect((await put(id, many.slice(0, 28))).status).toBe(200);
    const cases: [unknown, string, string][] = [
      [[{ weekday: 8, startTime: '08:00', endTime: '09:00' }], 'windows.0.weekday', 'validation.too_big'],
      [[{ weekday: 0, startTime: '08:00', endTime: '09:00' }], 'windows.0.weekday', 'validation.too_small'],
      [[{ weekday: 1, startTime: '8:00', endTime: '09:00' }], 'windows.0.startTime', 'validation.time'],
      [[{ weekday: 1, startTime: '08:00', endTime: '24:00' }], 'windows.0.endTime', 'validation.time'],
      [[{ weekday: 1, startTime: '08:00', endTime: '09:00', zone: 'UTC' }], 'windows.0', 'validation.unknown_field'],
    ];
    for (const [windows, path, key] of cases) {
      const res = await put(id, windows);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as ErrorDto).error.details.fields).toContainEqual(
        expect.objectContaining({ path, key }),
      );
    }
    const missing = await world.request(`/api/contacts/${id}/availability`, {
      as: 'teacherA',
      method: 'PUT',
      json: {},
    });
    expect(missing.status).toBe(400);
  });

  it("gives staff of another Home 404 for Home A's contact", async () => {
    const id = world.a.contact.id;
    expect((await world.request(`/api/contacts/${id}/availability`, { as: 'teacherB' })).status).toBe(404);
    const res = await put(id, [{ weekday: 1, startTime: '19:00', endTime: '20:00' }], 'teacherB');
    expect(res.status).toBe(404);
    const read = (await (
      await world.request(`/api/contacts/${id}/availability`, { as: 'teacherA' })
    ).json()) as AvailabilityDto;
    expect(read.windows).toEqual([]);
    expect((await world.request('/api/contacts/cnt_0000000000000000/availability', { as: 'teacherA' })).status).toBe(
      404,
    );
  });

  it('lets only staff in: 401 for nobody, 403 for a kiosk, a family or without the CSRF token', async () => {
    const id = world.a.contact.id;
    expect((await world.request(`/api/contacts/${id}/availability`, { as: 'anonymous' })).status).toBe(401);
    expect((await world.request(`/api/contacts/${id}/availability`, { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(`/api/contacts/${id}/availability`, { as: 'familyA' })).status).toBe(403);
    const headers = world.headersFor('teacherA');
    const res = await world.app.request(`/api/contacts/${id}/availability`, {
      method: 'PUT',
      headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ windows: [] }),
    });
    expect(res.status).toBe(403);
  });
});
