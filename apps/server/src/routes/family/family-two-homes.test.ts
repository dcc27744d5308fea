import { listOutgoingSmsOfHome, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type SharedParent } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settleFamilyCodeDeliveries } from './deliver-family-code.ts';

interface Choices {
  choices: { contactId: string; homeName: string; childNames: string[] }[];
}

describe('parent sign-in by phone and code, with a number known to two Homes', () => {
  let world: ApiWorld;
  let parent: SharedParent;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    parent = await world.sharedParent();
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    await world.services.redis.flushdb();
  });

  /** Asks for a code and gives it back as texted (both Homes' messages carry the same one). */
  async function askCode(): Promise<string> {
    const res = await world.request('/api/family/code', { json: { phone: parent.phone } });
    expect(res.status).toBe(202);
    await settleFamilyCodeDeliveries(world.services);
    const rows = await world.database.db
      .select()
      .from(schema.smsMessages)
      .where(eq(schema.smsMessages.toPhone, parent.phone));
    const code = /\d{6}/.exec(rows.at(-1)?.body ?? '')?.[0];
    expect(code).toBeDefined();
    return code!;
  }

  it("files the code's SMS under each Home whose contact has the number, with that Home's name", async () => {
    await askCode();
    for (const [home, contact, other] of [
      [world.a, parent.inA.contact, world.b],
      [world.b, parent.inB.contact, world.a],
    ] as const) {
      const { items } = await listOutgoingSmsOfHome(world.database.db, home.home.id, { limit: 50, offset: 0 });
      const mine = items.filter((sms) => sms.toPhone === parent.phone);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ contactId: contact.id, template: 'one-time-code', status: 'sent' });
      expect(mine[0]?.body).toContain(home.home.name);
      expect(mine[0]?.body).not.toContain(other.home.name);
    }
    const unfiled = await world.database.db
      .select()
      .from(schema.smsMessages)
      .where(eq(schema.smsMessages.toPhone, parent.phone));
    expect(unfiled.every((sms) => sms.homeId !== null)).toBe(true);
  });

  it("lets the parent choose, showing only their own children's names, and signs in to the Home chosen", async () => {
    const code = await askCode();
    const first = await world.request('/api/family/code/verify', { json: { phone: parent.phone, code } });
    expect(first.status).toBe(200);
    const body = (await first.json()) as Choices & { deviceToken?: string };
    expect(body.deviceToken).toBeUndefined();
    expect(body.choices).toEqual(
      expect.arrayContaining([
        { contactId: parent.inA.contact.id, homeName: world.a.home.name, childNames: ['小雨'] },
        { contactId: parent.inB.contact.id, homeName: world.b.home.name, childNames: ['小山'] },
      ]),
    );
    expect(body.choices).toHaveLength(2);
    // The other households of both Homes (their child is 小明) are never shown.
    expect(JSON.stringify(body)).not.toContain('小明');

    const chosen = await world.request('/api/family/code/verify', {
      json: { phone: parent.phone, code, contactId: parent.inB.contact.id },
    });
    expect(chosen.status).toBe(200);
    const { deviceToken } = (await chosen.json()) as { deviceToken: string };
    const me = await world.request('/api/family/me', { headers: { authorization: `Family ${deviceToken}` } });
    expect(me.status).toBe(200);
    const page = (await me.json()) as { home: { name: string }; childNames: string[]; contact: { id: string } };
    expect(page).toMatchObject({ home: { name: world.b.home.name }, childNames: ['小山'] });
    expect(page.contact.id).toBe(parent.inB.contact.id);

    // The code is used up by the sign-in.
    const again = await world.request('/api/family/code/verify', {
      json: { phone: parent.phone, code, contactId: parent.inA.contact.id },
    });
    expect(again.status).toBe(401);
  });

  it('never signs a number in as a contact that does not have it, even with a right code', async () => {
    const code = await askCode();
    const res = await world.request('/api/family/code/verify', {
      json: { phone: parent.phone, code, contactId: world.a.contact.id },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { details?: { reason?: string } } }).error.details?.reason).toBe(
      'contact-not-approved',
    );
    const devices = await world.database.db
      .select()
      .from(schema.familyDevices)
      .where(eq(schema.familyDevices.contactId, world.a.contact.id));
    expect(devices.filter((device) => device.via === 'code')).toEqual([]);
  });

  it('signs a number known to one Home only straight in, to that Home', async () => {
    const res = await world.request('/api/family/code', { json: { phone: world.b.contact.phone } });
    expect(res.status).toBe(202);
    await settleFamilyCodeDeliveries(world.services);
    const { items } = await listOutgoingSmsOfHome(world.database.db, world.b.home.id, { limit: 50, offset: 0 });
    const code = /\d{6}/.exec(items.find((sms) => sms.toPhone === world.b.contact.phone)?.body ?? '')?.[0];
    const verified = await world.request('/api/family/code/verify', { json: { phone: world.b.contact.phone, code } });
    expect(verified.status).toBe(200);
    const { deviceToken } = (await verified.json()) as { deviceToken: string };
    const me = await world.request('/api/family/me', { headers: { authorization: `Family ${deviceToken}` } });
    expect(((await me.json()) as { home: { name: string } }).home.name).toBe(world.b.home.name);
  });
});
