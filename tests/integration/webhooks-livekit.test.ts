import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { CallRoomEvent } from '@affection/core';
import { listWebhookEvents } from '@affection/db';
import { LivekitCallRooms, LivekitWebhookVerifier } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  getFreeTcpPort,
  type LivekitServer,
  startLivekit,
  type TestDatabaseKind,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { dispose, Room } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

/** A webhook as it reached the app, and the status the app answers it with. */
interface Delivery {
  body: string;
  authorization: string | null;
  status: Promise<number>;
}

/** Calls of the services' `onLivekitEvent` hook, with a way to wait for one. */
class HookCalls {
  readonly calls: { event: CallRoomEvent; webhookEventId: string }[] = [];
  readonly #emitter = new EventEmitter();
  /** Event ids whose hand-over fails, as when the queue is down. */
  readonly failing = new Set<string>();

  readonly handler = async (event: CallRoomEvent, stored: { webhookEventId: string }) => {
    this.calls.push({ event, webhookEventId: stored.webhookEventId });
    this.#emitter.emit('call', event);
    if (this.failing.has(event.id)) throw new Error('queue unavailable');
  };

  async waitFor(predicate: (event: CallRoomEvent) => boolean, timeoutMs = 20_000): Promise<CallRoomEvent> {
    const found = this.calls.find((call) => predicate(call.event));
    if (found) return found.event;
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const [event] = (await once(this.#emitter, 'call', { signal })) as [CallRoomEvent];
      if (predicate(event)) return event;
    }
  }
}

/** A body and `Authorization` header signed the way LiveKit signs webhooks, with any secret. */
async function signWebhook(apiKey: string, apiSecret: string, body: string): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])(
  'POST /webhooks/livekit from a real LiveKit server (%s)',
  (kind) => {
    const apiKey = `API${randomBytes(6).toString('hex')}`;
    const apiSecret = randomBytes(24).toString('hex');
    const hook = new HookCalls();
    const deliveries: Delivery[] = [];
    const clients: Room[] = [];
    let world: ApiWorld;
    let server: ServerType;
    let livekit: LivekitServer;
    let rooms: LivekitCallRooms;

    beforeAll(async () => {
      const port = await getFreeTcpPort();
      world = await createApiWorld(kind, {
        livekitWebhooks: new LivekitWebhookVerifier({ apiKey, apiSecret }),
        onLivekitEvent: hook.handler,
        publicUrl: `http://127.0.0.1:${port}`,
      });
      // Serve the app, keeping each webhook exactly as it arrived so that it can be replayed.
      server = await new Promise<ServerType>((resolve) => {
        const s = serve(
          {
            fetch: async (request: Request) => {
              if (new URL(request.url).pathname !== '/webhooks/livekit') return world.app.fetch(request);
              const body = await request.clone().text();
              const answered = Promise.resolve(world.app.fetch(request));
              deliveries.push({
                body,
                authorization: request.headers.get('authorization'),
                status: answered.then((response) => response.status),
              });
              return answered;
            },
            port,
            hostname: '127.0.0.1',
          },
          () => resolve(s),
        );
      });
      livekit = await startLivekit({ webhookUrls: [`http://127.0.0.1:${port}/webhooks/livekit`], apiKey, apiSecret });
      rooms = new LivekitCallRooms({ url: livekit.httpUrl, apiKey, apiSecret });
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((room) => room.disconnect()));
    });
    afterAll(async () => {
      await livekit?.stop();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await world?.close();
    });

    const postWebhook = (body: string, authorization?: string, app = world.app) =>
      app.request('/webhooks/livekit', {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', ...(authorization ? { authorization } : {}) },
        body,
      });
    const storedCount = async () => (await listWebhookEvents(world.database.db, 'livekit')).length;

    /** Opens a room for a made-up booking and joins it as a child at the kiosk; resolves with the join event. */
    async function joinAsChild(): Promise<{ bookingId: string; event: CallRoomEvent; delivery: Delivery }> {
      const bookingId = `bkg_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      await rooms.openRoom({ bookingId, homeId: world.a.home.id, emptyTimeoutSeconds: 60, maxParticipants: 4 });
      const token = await rooms.issueJoinToken({ bookingId, subject: { role: 'child', childId: world.a.child.id } });
      const room = new Room();
      clients.push(room);
      await room.connect(livekit.wsUrl, token.token, { autoSubscribe: true, dynacast: false });
      const event = await hook.waitFor((e) => e.type === 'participant-joined' && e.roomName === bookingId);
      const delivery = deliveries.find((d) => d.body.includes(event.id));
      if (!delivery) throw new Error('the joined event was handed on but its delivery was not recorded');
      return { bookingId, event, delivery };
    }

    it('verifies and stores each event the server sends, once, and hands it on', async () => {
      const { bookingId, event, delivery } = await joinAsChild();
      expect(await delivery.status).toBe(200);
      expect(delivery.authorization).toBeTruthy();
      expect(event).toMatchObject({
        bookingId,
        homeId: world.a.home.id,
        participant: { identity: `kid:${world.a.child.id}`, kind: 'kiosk' },
      });
      const stored = (await listWebhookEvents(world.database.db, 'livekit')).filter((e) => e.eventId === event.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        eventType: 'participant_joined',
        subject: bookingId,
        processedAt: null,
        payload: {
          type: 'participant-joined',
          bookingId,
          homeId: world.a.home.id,
          participant: { identity: `kid:${world.a.child.id}`, kind: 'kiosk' },
        },
      });
      expect(hook.calls.filter((call) => call.event.id === event.id)).toEqual([
        { event, webhookEventId: stored[0]?.id },
      ]);
      // The room's own start was delivered and stored too.
      const started = await hook.waitFor((e) => e.type === 'room-started' && e.roomName === bookingId);
      expect(started.bookingId).toBe(bookingId);
    });

    it('treats a replayed delivery as a no-op', async () => {
      const { event, delivery } = await joinAsChild();
      const before = await storedCount();
      const handedOn = hook.calls.length;
      const res = await postWebhook(delivery.body, delivery.authorization ?? undefined);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, duplicate: true });
      expect(await storedCount()).toBe(before);
      expect(hook.calls.length).toBe(handedOn);
      expect(hook.calls.filter((call) => call.event.id === event.id)).toHaveLength(1);
    });

    it('rejects a tampered body, a forged JWT and a missing header, storing nothing', async () => {
      const { delivery } = await joinAsChild();
      const before = await storedCount();
      const handedOn = hook.calls.length;
      const tampered = delivery.body
        .replace(/"id":\s*"EV_[^"]+"/, '"id":"EV_forged"')
        .replace(/kid:chd_\w+/, 'kid:chd_forged');
      expect(tampered).not.toBe(delivery.body);
      const forged = await signWebhook(apiKey, 'a-different-secret-a-different-secret-00', tampered);
      const attempts = [
        await postWebhook(tampered, delivery.authorization ?? undefined),
        await postWebhook(tampered, forged),
        await postWebhook(delivery.body, forged.replace(/\.[^.]+$/, '.c2lnbmF0dXJl')),
        await postWebhook(delivery.body),
        await postWebhook(delivery.body, 'Bearer nonsense'),
      ];
      expect(attempts.map((res) => res.status)).toEqual([403, 403, 403, 401, 403]);
      expect(await storedCount()).toBe(before);
      expect(hook.calls.length).toBe(handedOn);
    });

    it('keeps an event whose hand-over failed, still answering 200, for the reconciler', async () => {
      const id = `EV_${randomBytes(6).toString('hex')}`;
      const body = JSON.stringify({
        event: 'room_finished',
        room: {
          name: 'bkg_handoverfails0',
          metadata: JSON.stringify({ bookingId: 'bkg_handoverfails0', homeId: 'hom_x' }),
        },
        id,
        createdAt: String(Math.floor(Date.now() / 1000)),
      });
      hook.failing.add(id);
      const res = await postWebhook(body, await signWebhook(apiKey, apiSecret, body));
      expect(res.status).toBe(200);
      const stored = (await listWebhookEvents(world.database.db, 'livekit')).find((e) => e.eventId === id);
      expect(stored).toMatchObject({ eventType: 'room_finished', subject: 'bkg_handoverfails0', processedAt: null });
      expect(
        world.logs.some((line) => line.msg === 'livekit event stored but not handed on: left for the reconciler'),
      ).toBe(true);
    });

    it("keeps no phone number of a SIP caller's own room or identity", async () => {
      const id = `EV_${randomBytes(6).toString('hex')}`;
      const body = JSON.stringify({
        event: 'participant_joined',
        room: { name: 'phone-_+15551234567_Xy12' },
        participant: { identity: 'sip_+15551234567', joinedAt: String(Math.floor(Date.now() / 1000)) },
        id,
        createdAt: String(Math.floor(Date.now() / 1000)),
      });
      const res = await postWebhook(body, await signWebhook(apiKey, apiSecret, body));
      expect(res.status).toBe(200);
      const stored = (await listWebhookEvents(world.database.db, 'livekit')).find((e) => e.eventId === id);
      expect(stored).toMatchObject({ subject: null, payload: { roomName: null, participant: { identity: null } } });
      expect(JSON.stringify(stored)).not.toContain('5551234567');
    });

    it('answers 404 when LiveKit is not configured', async () => {
      const app = createApp({ ...world.services, livekitWebhooks: null });
      const body = JSON.stringify({ event: 'room_started', id: 'EV_x', createdAt: '0' });
      expect((await postWebhook(body, await signWebhook(apiKey, apiSecret, body), app)).status).toBe(404);
    });
  },
);

afterAll(async () => {
  await dispose();
});
