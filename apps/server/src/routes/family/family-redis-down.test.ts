import { once } from 'node:events';
import { listOutgoingSmsOfHome } from '@affection/db';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleFamilyCodeDeliveries } from './deliver-family-code.ts';
import { FAMILY_THROTTLE_DEFAULTS } from './family-throttle.ts';

describe('parent sign-in while Redis is down', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld('pglite');
    // The test stops the server on purpose; the client reports it as error events.
    world.services.redis.on('error', () => {});
  });
  afterAll(async () => {
    await world?.close();
  });

  function call(path: string, json: unknown, address: string): Promise<Response> {
    return Promise.resolve(
      world.app.request(
        path,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) },
        { incoming: { socket: { remoteAddress: address } } },
      ),
    );
  }

  it('signs in by code and by QR link on counts in this process, and still limits them', async () => {
    const link = await world.request(`/api/contacts/${world.b.contact.id}/enrolment-link`, {
      as: 'teacherB',
      json: {},
    });
    expect(link.status).toBe(201);
    const token = ((await link.json()) as { url: string }).url.split('/family/enrol/')[1]!;
    await world.redisServer.kill('SIGKILL');
    try {
      const phone = world.a.contact.phone;
      expect((await call('/api/family/code', { phone }, '198.51.100.1')).status).toBe(202);
      await settleFamilyCodeDeliveries(world.services);
      const { items } = await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 10, offset: 0 });
      const code = /\d{6}/.exec(items.find((sms) => sms.toPhone === phone)?.body ?? '')?.[0];
      const verified = await call('/api/family/code/verify', { phone, code }, '198.51.100.1');
      expect(verified.status).toBe(200);
      expect(((await verified.json()) as { deviceToken?: string }).deviceToken).toBeTruthy();
      expect((await call('/api/family/enrol', { token }, '198.51.100.2')).status).toBe(200);

      // Still throttled: codes per address.
      const asker = '198.51.100.3';
      for (let i = 0; i < FAMILY_THROTTLE_DEFAULTS.codesPerAddress; i += 1) {
        expect((await call('/api/family/code', { phone: `+861350000000${i}` }, asker)).status).toBe(202);
      }
      const refused = await call('/api/family/code', { phone: '+8613500000009' }, asker);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await world.redisServer.restart();
    }
    if (world.services.redis.status !== 'ready') await once(world.services.redis, 'ready');
    expect((await call('/api/family/code', { phone: world.b.contact.phone }, '198.51.100.4')).status).toBe(202);
    await settleFamilyCodeDeliveries(world.services);
  });
});
