import { type ApiWorld, createApiWorld, FIXTURE_PASSWORD } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('logs carry no personal data', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld('pglite');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('after a full flow of sign-in, records, contacts and errors, no phone number or name is in any log line', async () => {
    const phone = '+8613700001234';
    const secrets = [
      '13700001234',
      '3700001234',
      '欧阳娜娜',
      '欧阳',
      '小雨点',
      world.a.child.givenName,
      world.a.contact.name,
      '13812345678',
      FIXTURE_PASSWORD,
    ];
    const call = async (path: string, init: Parameters<ApiWorld['request']>[1]) => {
      const res = await world.request(path, init);
      return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
    };

    await call('/api/auth/login', { json: { login: world.a.teacher.username, password: FIXTURE_PASSWORD } });
    await call('/api/auth/login', { json: { login: '13812345678', password: 'wrong password 13812345678' } });
    const household = await call('/api/households', { as: 'teacherA', json: { name: '欧阳家' } });
    expect(household.status).toBe(201);
    const householdId = household.body?.id as string;
    const contact = await call('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '欧阳娜娜', relation: 'mother', phone: '137 0000 1234', timeZone: 'Asia/Shanghai' },
    });
    expect(contact.status).toBe(201);
    const duplicate = await call('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '欧阳娜娜', relation: 'mother', phone },
    });
    expect(duplicate.status).toBe(409);
    const child = await call('/api/children', {
      as: 'teacherA',
      json: { householdId, familyName: '欧阳', givenName: '小雨点', notes: `妈妈电话 ${phone}` },
    });
    expect(child.status).toBe(201);
    await call(`/api/children/${child.body?.id}`, { as: 'teacherA' });
    await call(`/api/children?search=${encodeURIComponent('小雨点')}`, { as: 'teacherA' });
    await call(`/api/contacts/${contact.body?.id}`, { as: 'teacherA' });
    await call('/api/children', {
      as: 'teacherA',
      json: { householdId, familyName: '欧阳', givenName: 'x'.repeat(500) },
    });
    await call('/api/contacts', {
      as: 'teacherA',
      json: { householdId, name: '欧阳娜娜', relation: 'mother', phone: '13700001234x' },
    });
    await call(`/api/children/${world.a.child.id}/export`, { as: 'adminA' });

    expect(world.logs.length).toBeGreaterThan(10);
    const text = world.logs.map((line) => JSON.stringify(line)).join('\n');
    const leaks = secrets.filter((secret) => text.includes(secret));
    expect(leaks).toEqual([]);
  });
});
