import { createHousehold, listAuditForSubject, updateHousehold } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface ContactDto {
  id: string;
  householdId: string;
  name: string;
  phoneMasked: string;
  phone?: string;
  timeZone: string;
  language: string;
  channel: string;
  phoneFallback: boolean;
  smsOptOut: boolean;
  status: 'pending' | 'approved' | 'revoked';
  approvedBy: string | null;
  approvedAt: string | null;
  revokedAt: string | null;
  consentRecordedBy: string | null;
  consentRecordedAt: string | null;
}

interface ErrorDto {
  error: {
    code: string;
    message: string;
    details?: { fields: { path: string; key: string; message: Record<string, string> }[] };
  };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('contacts API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  async function newHousehold(name = '周家'): Promise<string> {
    return (await createHousehold(world.database.db, world.a.home.id, { name })).id;
  }

  async function newContact(householdId: string, phone: string, extra: Record<string, unknown> = {}) {
    const res = await world.request('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '周桂芳', relation: 'mother', phone, ...extra },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as ContactDto;
  }

  it('creates a contact from a number as typed, shows it masked in lists and whole only when opened (audited)', async () => {
    const householdId = await newHousehold();
    const created = await newContact(householdId, '139 1234 5678', {
      city: '东莞',
      timeZone: 'Asia/Shanghai',
      language: 'zh-CN',
      channel: 'phone',
      phoneFallback: false,
      smsOptOut: true,
    });
    expect(created).toMatchObject({
      householdId,
      phoneMasked: '+86 139****5678',
      channel: 'phone',
      phoneFallback: false,
      smsOptOut: true,
      status: 'pending',
      approvedAt: null,
    });
    expect(created).not.toHaveProperty('phone');
    expect(created.id).toMatch(/^cnt_[0-9a-z]{16}$/);

    const list = await world.request(`/api/contacts?householdId=${householdId}`, { as: 'teacherA' });
    const page = (await list.json()) as { items: ContactDto[]; total: number };
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ id: created.id, phoneMasked: '+86 139****5678' });
    expect(JSON.stringify(page)).not.toContain('12345678');

    const read = await world.request(`/api/contacts/${created.id}`, { as: 'teacherA' });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: created.id,
      phone: '+8613912345678',
      phoneMasked: '+86 139****5678',
    });

    const trail = await listAuditForSubject(world.database.db, 'contact', created.id);
    expect(trail.map((e) => e.action).sort()).toEqual(['contact.create', 'contact.read']);
    expect(trail.every((e) => e.actorId === world.a.teacher.id)).toBe(true);
    // Ids and field names only: never the number, the name or the city.
    expect(JSON.stringify(trail)).not.toMatch(/1391234|周|东莞/);
  });

  it('fills the defaults: Asia/Shanghai, zh-CN, video, phone fallback on, SMS on; takes numbers abroad', async () => {
    const householdId = await newHousehold();
    const contact = await newContact(householdId, '+34 612 345 678', { relation: 'father' });
    expect(contact).toMatchObject({
      timeZone: 'Asia/Shanghai',
      language: 'zh-CN',
      channel: 'video',
      phoneFallback: true,
      smsOptOut: false,
      phoneMasked: '+34 612****5678',
    });
    const read = (await (await world.request(`/api/contacts/${contact.id}`, { as: 'teacherA' })).json()) as ContactDto;
    expect(read.phone).toBe('+34612345678');
  });

  it('answers 409 with a clear message for the same number twice in one household, and allows it in another', async () => {
    const householdId = await newHousehold();
    await newContact(householdId, '13712345678');
    const again = await world.request('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '周建国', relation: 'father', phone: '+86 137 1234 5678' },
    });
    expect(again.status).toBe(409);
    const body = (await again.json()) as ErrorDto;
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toMatch(/already a contact of this household/);
    expect(body.error.details?.fields[0]).toMatchObject({ path: 'phone', key: 'error.contact.phone-taken' });
    expect(body.error.details?.fields[0]?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(JSON.stringify(body)).not.toContain('13712345678');

    const elsewhere = await newHousehold('吴家');
    await newContact(elsewhere, '13712345678');

    const other = await newContact(householdId, '13612345678', { relation: 'grandmother' });
    const clash = await world.request(`/api/contacts/${other.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { phone: '13712345678' },
    });
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as ErrorDto).error.code).toBe('conflict');
  });

  it('updates fields; a new number on an approved contact needs approving again', async () => {
    const householdId = await newHousehold();
    const contact = await newContact(householdId, '13512345678');
    const approved = await world.request(`/api/contacts/${contact.id}/approve`, { as: 'adminA', method: 'POST' });
    expect(((await approved.json()) as ContactDto).status).toBe('approved');

    const city = await world.request(`/api/contacts/${contact.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { city: '深圳', timeZone: 'Asia/Dubai', language: 'en' },
    });
    expect(city.status).toBe(200);
    expect(await city.json()).toMatchObject({
      city: '深圳',
      timeZone: 'Asia/Dubai',
      language: 'en',
      status: 'approved',
    });

    const same = await world.request(`/api/contacts/${contact.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { phone: '+8613512345678' },
    });
    expect(((await same.json()) as ContactDto).status).toBe('approved');

    const moved = await world.request(`/api/contacts/${contact.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { phone: '13512340000' },
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      phoneMasked: '+86 135****0000',
      status: 'pending',
      approvedBy: null,
      approvedAt: null,
    });
    const trail = await listAuditForSubject(world.database.db, 'contact', contact.id);
    const updates = trail.filter((e) => e.action === 'contact.update').map((e) => e.details);
    expect(updates).toContainEqual({ fields: ['phone'], approvalCleared: true });
    expect(updates).toContainEqual({ fields: ['city', 'timeZone', 'language'], approvalCleared: false });
  });

  it('approves (admin only), revokes, re-approves and records consent', async () => {
    const householdId = await newHousehold();
    const contact = await newContact(householdId, '13312345678');

    const byTeacher = await world.request(`/api/contacts/${contact.id}/approve`, { as: 'teacherA', method: 'POST' });
    expect(byTeacher.status).toBe(403);

    world.setNow(new Date('2026-09-01T04:00:00Z'));
    try {
      const approved = await world.request(`/api/contacts/${contact.id}/approve`, { as: 'adminA', method: 'POST' });
      expect(approved.status).toBe(200);
      expect(await approved.json()).toMatchObject({
        status: 'approved',
        approvedBy: world.a.admin.id,
        approvedAt: '2026-09-01T04:00:00.000Z',
        revokedAt: null,
      });

      const revoked = await world.request(`/api/contacts/${contact.id}/revoke`, { as: 'teacherA', method: 'POST' });
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toMatchObject({ status: 'revoked', revokedAt: '2026-09-01T04:00:00.000Z' });

      const pending = (await (
        await world.request(`/api/contacts?householdId=${householdId}&status=revoked`, { as: 'teacherA' })
      ).json()) as { items: ContactDto[] };
      expect(pending.items.map((c) => c.id)).toEqual([contact.id]);

      const again = await world.request(`/api/contacts/${contact.id}/approve`, { as: 'adminA', method: 'POST' });
      expect(await again.json()).toMatchObject({ status: 'approved', revokedAt: null });

      const consent = await world.request(`/api/contacts/${contact.id}/consent`, { as: 'teacherA', method: 'POST' });
      expect(consent.status).toBe(200);
      expect(await consent.json()).toMatchObject({
        consentRecordedBy: world.a.teacher.id,
        consentRecordedAt: '2026-09-01T04:00:00.000Z',
      });
    } finally {
      world.setNow(new Date());
    }
    const trail = await listAuditForSubject(world.database.db, 'contact', contact.id);
    expect(trail.map((e) => e.action).sort()).toEqual([
      'contact.approve',
      'contact.approve',
      'contact.consent',
      'contact.create',
      'contact.revoke',
    ]);
  });

  it('lists the Home’s contacts awaiting approval, with paging', async () => {
    const householdId = await newHousehold();
    const first = await newContact(householdId, '13212345678');
    const second = await newContact(householdId, '13212345679', { relation: 'grandfather' });
    const res = await world.request('/api/contacts?status=pending&limit=200', { as: 'teacherA' });
    const page = (await res.json()) as { items: ContactDto[]; total: number };
    const ids = page.items.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(ids).not.toContain(world.a.contact.id);
    expect(page.items.every((c) => c.status === 'pending')).toBe(true);
    const one = (await (await world.request('/api/contacts?limit=1&offset=1', { as: 'teacherA' })).json()) as {
      items: ContactDto[];
      total: number;
    };
    expect(one.items).toHaveLength(1);
    expect(one.total).toBeGreaterThan(1);
  });

  it('answers 400 for a wrong number, zone, language or relation, and 422 for an archived household', async () => {
    const householdId = await newHousehold();
    const res = await world.request('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '', relation: 'uncle', phone: '123', timeZone: 'Mars/Base', language: 'fr' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorDto;
    const keys = Object.fromEntries(body.error.details!.fields.map((f) => [f.path, f.key]));
    expect(keys).toMatchObject({
      phone: 'validation.phone',
      timeZone: 'validation.time_zone',
      language: 'validation.invalid_option',
      relation: 'validation.invalid_option',
      name: 'validation.too_short',
    });
    const noChange = await world.request(`/api/contacts/${world.a.contact.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: {},
    });
    expect(noChange.status).toBe(400);
    const moveHousehold = await world.request(`/api/contacts/${world.a.contact.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { householdId },
    });
    expect(moveHousehold.status).toBe(400);

    await updateHousehold(world.database.db, world.a.home.id, householdId, { archivedAt: new Date() });
    const archived = await world.request('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '周桂芳', relation: 'mother', phone: '13112345678' },
    });
    expect(archived.status).toBe(422);
  });

  it("gives staff of another Home 404 for Home A's contacts and households", async () => {
    const id = world.a.contact.id;
    expect((await world.request(`/api/contacts/${id}`, { as: 'teacherB' })).status).toBe(404);
    const patch = await world.request(`/api/contacts/${id}`, { as: 'teacherB', method: 'PATCH', json: { city: 'x' } });
    expect(patch.status).toBe(404);
    for (const action of ['revoke', 'consent']) {
      const res = await world.request(`/api/contacts/${id}/${action}`, { as: 'teacherB', method: 'POST' });
      expect(res.status).toBe(404);
    }
    const create = await world.request('/api/contacts', {
      as: 'teacherB',
      json: { householdId: world.a.household.id, name: '某某', relation: 'other', phone: '13012345678' },
    });
    expect(create.status).toBe(404);
    const list = (await (
      await world.request(`/api/contacts?householdId=${world.a.household.id}`, { as: 'teacherB' })
    ).json()) as { items: unknown[]; total: number };
    expect(list).toMatchObject({ items: [], total: 0 });
    const all = (await (await world.request('/api/contacts?limit=200', { as: 'teacherB' })).json()) as {
      items: ContactDto[];
    };
    expect(all.items.map((c) => c.id)).toEqual([world.b.contact.id]);
    const read = await world.request(`/api/contacts/${id}`, { as: 'teacherA' });
    expect(read.status).toBe(200);
    expect(((await read.json()) as ContactDto).revokedAt).toBeNull();
  });

  it('lets only staff in: 401 for nobody, 403 for a kiosk, a family or without the CSRF token', async () => {
    const id = world.a.contact.id;
    expect((await world.request('/api/contacts', { as: 'anonymous' })).status).toBe(401);
    expect((await world.request(`/api/contacts/${id}`, { as: 'anonymous' })).status).toBe(401);
    expect((await world.request(`/api/contacts/${id}`, { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(`/api/contacts/${id}`, { as: 'familyA' })).status).toBe(403);
    expect((await world.request(`/api/contacts/${id}/approve`, { as: 'familyA', method: 'POST' })).status).toBe(403);
    expect((await world.request(`/api/contacts/${id}/revoke`, { as: 'kioskA', method: 'POST' })).status).toBe(403);
    expect((await world.request(`/api/contacts/${id}/approve`, { as: 'anonymous', method: 'POST' })).status).toBe(401);
    const headers = world.headersFor('teacherA');
    const res = await world.app.request(`/api/contacts/${id}/revoke`, {
      method: 'POST',
      headers: { cookie: headers.cookie! },
    });
    expect(res.status).toBe(403);
    const read = (await (await world.request(`/api/contacts/${id}`, { as: 'teacherA' })).json()) as ContactDto;
    expect(read.status).toBe('approved');
  });
});
