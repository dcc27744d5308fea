import { cancelBooking, createBooking, getChildMood, listKioskPresence, revokeKiosk } from '@affection/db';
import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  type LivekitServer,
  startLivekit,
  type TestDatabaseKind,
  type WorldHome,
} from '@affection/test-support';
import { dispose, Room } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import type { ApiResponse } from '../../contract.ts';

type ListBody = ApiResponse<'GET /api/kiosk/calls'>;
type JoinBody = ApiResponse<'POST /api/kiosk/calls/{id}/join'>;

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

interface JwtPayload {
  sub: string;
  exp: number;
  nbf: number;
  video: Record<string, unknown>;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function payloadOf(jwt: string): JwtPayload {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as JwtPayload;
}

let livekit: LivekitServer;
beforeAll(async () => {
  livekit = await startLivekit();
});
afterAll(async () => {
  await dispose();
  await livekit?.stop();
});

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('kiosk calls API (%s)', (kind) => {
  let world: ApiWorld;
  let day = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind, {
      callRooms: new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }),
      livekitClientUrl: livekit.wsUrl,
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A fresh day for each test, so that its bookings never overlap another test's. */
  function nextDay(): Date {
    day += 1;
    return new Date(Date.UTC(2031, 2, 3, 4, 0) + day * DAY);
  }

  /** Books Home `home`'s child and contact on its kiosk, `startsIn` minutes after `from`, for 15 minutes. */
  async function book(home: WorldHome, from: Date, startsIn: number, minutes = 15): Promise<string> {
    const start = new Date(from.getTime() + startsIn * MINUTE);
    const result = await createBooking(world.database.db, {
      homeId: home.home.id,
      kioskId: home.kiosk.id,
      householdId: home.household.id,
      contactId: home.contact.id,
      childIds: [home.child.id],
      start,
      end: new Date(start.getTime() + minutes * MINUTE),
      status: 'confirmed',
      source: 'teacher',
      now: from,
    });
    if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
    return result.booking.id;
  }

  const listCalls = async (): Promise<ListBody> => {
    const res = await world.request('/api/kiosk/calls', { as: 'kioskA' });
    expect(res.status).toBe(200);
    return (await res.json()) as ListBody;
  };
  const join = (bookingId: string, childId = world.a.child.id) =>
    world.request(`/api/kiosk/calls/${bookingId}/join`, { as: 'kioskA', json: { childId } });
  const report = (bookingId: string, body: Record<string, unknown>) =>
    world.request(`/api/kiosk/calls/${bookingId}/report`, { as: 'kioskA', json: body });
  const mood = (bookingId: string, value: number, childId = world.a.child.id) =>
    world.request(`/api/kiosk/calls/${bookingId}/mood`, { as: 'kioskA', json: { childId, mood: value } });
  const reasonOf = async (res: Response) => ((await res.json()) as ErrorBody).error.details?.reason;

  describe('GET /api/kiosk/calls', () => {
    it("lists the Home's calls starting within 30 minutes or running now, with first names and who calls only", async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const soon = await book(world.a, t0, 20);
      const afterIt = await book(world.a, t0, 45);
      await book(world.b, t0, 10);
      const cancelled = await book(world.a, t0, 10, 5);
      await cancelBooking(world.database.db, world.a.home.id, cancelled, { reason: 'test', now: t0 });

      const body = await listCalls();
      expect(body.now).toBe(t0.toISOString());
      expect(body.calls.map((c) => c.bookingId)).toEqual([soon]);
      const [call] = body.calls;
      expect(call).toEqual({
        bookingId: soon,
        start: new Date(t0.getTime() + 20 * MINUTE).toISOString(),
        end: new Date(t0.getTime() + 35 * MINUTE).toISOString(),
        isOpen: false,
        children: [
          {
            id: world.a.child.id,
            givenName: '小明',
            colour: expect.stringMatching(/^#[0-9A-F]{6}$/),
            hasPhoto: false,
            photoUrl: null,
          },
        ],
        callers: [{ relation: 'mother', channel: 'video' }],
        kiosk: { id: world.a.kiosk.id, name: '一号机', isThisKiosk: true },
      });
      const text = JSON.stringify(body);
      for (const secret of [
        world.a.contact.phone,
        world.a.contact.name,
        '王',
        world.a.household.id,
        world.a.home.name,
      ]) {
        expect(text).not.toContain(secret);
      }

      world.setNow(new Date(t0.getTime() + 15 * MINUTE));
      expect((await listCalls()).calls.map((c) => [c.bookingId, c.isOpen])).toEqual([
        [soon, true],
        [afterIt, false],
      ]);
      world.setNow(new Date(t0.getTime() + 34 * MINUTE));
      expect((await listCalls()).calls.map((c) => [c.bookingId, c.isOpen])).toEqual([
        [soon, true],
        [afterIt, false],
      ]);
      world.setNow(new Date(t0.getTime() + 40 * MINUTE));
      expect((await listCalls()).calls.map((c) => [c.bookingId, c.isOpen])).toEqual([[afterIt, true]]);
    });

    it('gives the same child the same initials colour every time', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      await book(world.a, t0, 5);
      const [first] = (await listCalls()).calls;
      const [second] = (await listCalls()).calls;
      expect(first?.children[0]?.colour).toBe(second?.children[0]?.colour);
    });
  });

  describe('POST /api/kiosk/calls/{id}/join', () => {
    it('refuses a call that is not open yet, ended or cancelled with 409 and the reason', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 10);
      const early = await join(bookingId);
      expect(early.status).toBe(409);
      expect(await reasonOf(early)).toBe('not-yet');
      world.setNow(new Date(t0.getTime() + 26 * MINUTE));
      const late = await join(bookingId);
      expect(late.status).toBe(409);
      expect(await reasonOf(late)).toBe('ended');

      const other = await book(world.a, t0, 60);
      await cancelBooking(world.database.db, world.a.home.id, other, { reason: 'test', now: t0 });
      world.setNow(new Date(t0.getTime() + 61 * MINUTE));
      const cancelled = await join(other);
      expect(cancelled.status).toBe(409);
      expect(await reasonOf(cancelled)).toBe('cancelled');
    });

    it('opens the room and answers a 10-minute token for kid:<child> naming exactly that room, which LiveKit admits', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 4);
      const res = await join(bookingId);
      expect(res.status).toBe(200);
      const body = (await res.json()) as JoinBody;
      expect(body).toMatchObject({
        url: livekit.wsUrl,
        room: bookingId,
        identity: `kid:${world.a.child.id}`,
        endsAt: new Date(t0.getTime() + 19 * MINUTE).toISOString(),
      });
      const payload = payloadOf(body.token);
      expect(payload.sub).toBe(`kid:${world.a.child.id}`);
      expect(payload.exp - payload.nbf).toBeLessThanOrEqual(600);
      expect(new Date(body.tokenExpiresAt).getTime()).toBe(payload.exp * 1000);
      expect(payload.video).toEqual({
        roomJoin: true,
        room: bookingId,
        canSubscribe: true,
        canPublish: true,
        canPublishData: false,
        canPublishSources: ['camera', 'microphone'],
        hidden: false,
      });

      const rooms = world.services.callRooms!;
      const room = new Room();
      try {
        await room.connect(body.url, body.token, { autoSubscribe: true, dynacast: false });
        expect(room.name).toBe(bookingId);
        const inRoom = await rooms.listParticipants(bookingId);
        expect(inRoom.map((p) => p.identity)).toEqual([`kid:${world.a.child.id}`]);
      } finally {
        await room.disconnect();
      }
      // Joining again (a second tap, a reload) opens nothing new and gets another token.
      const again = await join(bookingId);
      expect(again.status).toBe(200);
      await rooms.closeRoom(bookingId);
    });

    it("answers 404 for another Home's call and for a child not on the call", async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const theirs = await book(world.b, t0, 0);
      const ours = await book(world.a, t0, 0);
      expect((await join(theirs, world.b.child.id)).status).toBe(404);
      expect((await join(theirs)).status).toBe(404);
      expect((await join(ours, world.b.child.id)).status).toBe(404);
      expect((await listCalls()).calls.map((c) => c.bookingId)).toEqual([ours]);
    });

    it('answers 503 with a clear message when LiveKit is not configured', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 0);
      const app = createApp({ ...world.services, callRooms: null, livekitClientUrl: null });
      const res = await app.request(`/api/kiosk/calls/${bookingId}/join`, {
        method: 'POST',
        headers: { ...world.headersFor('kioskA'), 'content-type': 'application/json' },
        body: JSON.stringify({ childId: world.a.child.id }),
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/LiveKit is not configured/);
    });
  });

  describe('POST /api/kiosk/calls/{id}/report', () => {
    it("keeps the kiosk's report once per stay in the call log, and fills in when the child left", async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 3);
      const joinedAt = new Date(t0.getTime() + 3.5 * MINUTE).toISOString();
      world.setNow(new Date(t0.getTime() + 4 * MINUTE));
      const first = await report(bookingId, { childId: world.a.child.id, joinedAt });
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ identity: `kid:${world.a.child.id}`, joinedAt, leftAt: null });
      expect((await report(bookingId, { childId: world.a.child.id, joinedAt })).status).toBe(200);
      expect(await listKioskPresence(world.database.db, world.a.home.id, bookingId)).toHaveLength(1);

      world.setNow(new Date(t0.getTime() + 17 * MINUTE));
      const leftAt = new Date(t0.getTime() + 16 * MINUTE).toISOString();
      const left = await report(bookingId, { childId: world.a.child.id, joinedAt, leftAt });
      expect(left.status).toBe(200);
      expect(await report(bookingId, { childId: world.a.child.id, joinedAt, leftAt })).toHaveProperty('status', 200);
      // A second stay (the child came back after a dropped connection) is a second entry.
      const back = new Date(t0.getTime() + 16.5 * MINUTE).toISOString();
      expect((await report(bookingId, { childId: world.a.child.id, joinedAt: back })).status).toBe(200);
      expect(await listKioskPresence(world.database.db, world.a.home.id, bookingId)).toEqual([
        { identity: `kid:${world.a.child.id}`, source: 'kiosk-report', joinedAt, leftAt },
        { identity: `kid:${world.a.child.id}`, source: 'kiosk-report', joinedAt: back, leftAt: null },
      ]);
    });

    it('refuses reports before the call opens (409), out-of-order times (400), times outside the call (422)', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 10);
      const early = await report(bookingId, { childId: world.a.child.id, joinedAt: t0.toISOString() });
      expect(early.status).toBe(409);
      expect(await reasonOf(early)).toBe('not-yet');

      world.setNow(new Date(t0.getTime() + 12 * MINUTE));
      const joinedAt = new Date(t0.getTime() + 11 * MINUTE).toISOString();
      const backwards = await report(bookingId, {
        childId: world.a.child.id,
        joinedAt,
        leftAt: new Date(t0.getTime() + 10 * MINUTE).toISOString(),
      });
      expect(backwards.status).toBe(400);
      const yesterday = await report(bookingId, {
        childId: world.a.child.id,
        joinedAt: new Date(t0.getTime() - DAY).toISOString(),
      });
      expect(yesterday.status).toBe(422);
      const future = await report(bookingId, {
        childId: world.a.child.id,
        joinedAt,
        leftAt: new Date(t0.getTime() + 40 * MINUTE).toISOString(),
      });
      expect(future.status).toBe(422);
      expect((await report(bookingId, { childId: world.a.child.id, joinedAt: 'yesterday' })).status).toBe(400);
      expect((await report(bookingId, { childId: world.b.child.id, joinedAt })).status).toBe(404);
      expect(await listKioskPresence(world.database.db, world.a.home.id, bookingId)).toEqual([]);
    });
  });

  describe('POST /api/kiosk/calls/{id}/mood', () => {
    it('saves the mood on the call log once the call started; again is the same; another face replaces it', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 3);
      const early = await mood(bookingId, 4);
      expect(early.status).toBe(409);
      expect(await reasonOf(early)).toBe('not-started');

      world.setNow(new Date(t0.getTime() + 19 * MINUTE));
      const saved = await mood(bookingId, 4);
      expect(saved.status).toBe(200);
      expect(await saved.json()).toEqual({ childId: world.a.child.id, mood: 4 });
      expect((await mood(bookingId, 4)).status).toBe(200);
      expect(await getChildMood(world.database.db, world.a.home.id, bookingId, world.a.child.id)).toBe(4);
      expect((await mood(bookingId, 5)).status).toBe(200);
      expect(await getChildMood(world.database.db, world.a.home.id, bookingId, world.a.child.id)).toBe(5);

      expect((await mood(bookingId, 6)).status).toBe(400);
      expect((await mood(bookingId, 0)).status).toBe(400);
      expect((await mood(bookingId, 3, world.b.child.id)).status).toBe(404);
      const theirs = await book(world.b, t0, 0);
      expect((await mood(theirs, 3, world.b.child.id)).status).toBe(404);
      expect(await getChildMood(world.database.db, world.b.home.id, theirs, world.b.child.id)).toBeNull();
    });
  });

  describe('security', () => {
    it('answers 401 to a revoked kiosk on every kiosk call route', async () => {
      const t0 = nextDay();
      world.setNow(t0);
      const bookingId = await book(world.a, t0, 0);
      await revokeKiosk(world.database.db, world.a.home.id, world.a.kiosk.id, t0);
      try {
        expect((await world.request('/api/kiosk/calls', { as: 'kioskA' })).status).toBe(401);
        expect((await join(bookingId)).status).toBe(401);
        expect((await report(bookingId, { childId: world.a.child.id, joinedAt: t0.toISOString() })).status).toBe(401);
        expect((await mood(bookingId, 3)).status).toBe(401);
      } finally {
        await world.refreshPrincipals();
      }
    });

    it('answers 403 to family and staff callers, who have pages of their own', async () => {
      const t0 = new Date();
      world.setNow(t0);
      await world.refreshPrincipals();
      const bookingId = await book(world.a, t0, 2);
      for (const who of ['familyA', 'teacherA', 'adminA'] as const) {
        expect((await world.request('/api/kiosk/calls', { as: who })).status, who).toBe(403);
        for (const action of ['join', 'report', 'mood']) {
          const res = await world.request(`/api/kiosk/calls/${bookingId}/${action}`, {
            as: who,
            json: { childId: world.a.child.id, joinedAt: t0.toISOString(), mood: 3 },
          });
          expect(res.status, `${who} ${action}`).toBe(403);
        }
      }
      expect((await world.request('/api/kiosk/calls')).status).toBe(401);
    });
  });
});
