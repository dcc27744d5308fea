import { createBooking, createContact, updateContact } from '@affection/db';
import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  type LivekitServer,
  startLivekit,
  type TestDatabaseKind,
} from '@affection/test-support';
import { dispose, Room } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const MINUTE = 60_000;

interface Joined {
  url: string;
  token: string;
  room: string;
  identity: string;
  endsAt: string;
  expiresAt: string;
}

interface TokenClaims {
  sub: string;
  exp: number;
  nbf: number;
  video: { room: string; roomJoin: boolean; canPublish: boolean; canPublishSources: string[]; canSubscribe: boolean };
}

function claimsOf(jwt: string): TokenClaims {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims;
}

describe('joining a family call on a real LiveKit server', () => {
  let livekit: LivekitServer;
  const clients: Room[] = [];

  beforeAll(async () => {
    livekit = await startLivekit();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((room) => room.disconnect()));
  });
  afterAll(async () => {
    await dispose();
    await livekit?.stop();
  });

  describe.each<TestDatabaseKind>(['pglite', 'postgres'])('(%s)', (kind) => {
    let world: ApiWorld;
    let start: Date;
    let serial = 0;

    beforeAll(async () => {
      world = await createApiWorld(kind, {
        callRooms: new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }),
        livekitClientUrl: livekit.wsUrl,
      });
      start = world.services.now();
    });
    afterAll(async () => {
      await world?.close();
    });
    afterEach(() => {
      world.setNow(start);
    });

    /** A new approved contact of Home A's household, signed in on a phone: its device token. */
    async function signedInContact(): Promise<{ contactId: string; token: string }> {
      serial += 1;
      const db = world.database.db;
      const created = await createContact(db, world.a.home.id, {
        householdId: world.a.household.id,
        name: '王建国',
        relation: 'father',
        phone: `+86137${String(10_000_000 + serial * 104_729 + (kind === 'pglite' ? 0 : 3_000_000)).padStart(8, '0')}`,
      });
      await updateContact(db, world.a.home.id, created.id, { approvedBy: world.a.admin.id, approvedAt: start }, start);
      const link = await world.request(`/api/contacts/${created.id}/enrolment-link`, { as: 'teacherA', json: {} });
      const { url } = (await link.json()) as { url: string };
      const enrolled = await world.request('/api/family/enrol', { json: { token: url.split('/').at(-1) } });
      const { deviceToken } = (await enrolled.json()) as { deviceToken: string };
      return { contactId: created.id, token: deviceToken };
    }

    async function book(contactId: string, minutesFromStart: number, home = world.a) {
      const begin = new Date(start.getTime() + minutesFromStart * MINUTE);
      const result = await createBooking(world.database.db, {
        homeId: home.home.id,
        kioskId: home.kiosk.id,
        householdId: home.household.id,
        contactId,
        childIds: [home.child.id],
        start: begin,
        end: new Date(begin.getTime() + 15 * MINUTE),
        status: 'confirmed',
        source: 'teacher',
        now: start,
      });
      if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
      return result.booking;
    }

    function join(bookingId: string, token: string): Promise<Response> {
      return Promise.resolve(
        world.app.request(`/api/family/calls/${bookingId}/join`, {
          method: 'POST',
          headers: { authorization: `Family ${token}` },
        }),
      );
    }

    it('opens the room once and gives a 10-minute camera-and-microphone token for parent:<contact> that LiveKit accepts', async () => {
      const { contactId, token } = await signedInContact();
      const booking = await book(contactId, 60);
      world.setNow(new Date(booking.start.getTime() - 5 * MINUTE));

      const res = await join(booking.id, token);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const joined = (await res.json()) as Joined;
      expect(joined).toMatchObject({
        url: livekit.wsUrl,
        room: booking.id,
        identity: `parent:${contactId}`,
        endsAt: booking.end.toISOString(),
      });
      const claims = claimsOf(joined.token);
      expect(claims.sub).toBe(`parent:${contactId}`);
      expect(claims.video).toMatchObject({ room: booking.id, roomJoin: true, canPublish: true, canSubscribe: true });
      expect([...claims.video.canPublishSources].sort()).toEqual(['camera', 'microphone']);
      expect(claims.exp - claims.nbf).toBeLessThanOrEqual(600);

      // Joining again (a reload) opens nothing new.
      const again = await join(booking.id, token);
      expect(again.status).toBe(200);
      const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
      const listed = await rooms.listRooms([booking.id]);
      expect(listed).toHaveLength(1);
      expect(JSON.parse(listed[0]!.metadata)).toEqual({ bookingId: booking.id, homeId: world.a.home.id });

      const room = new Room();
      clients.push(room);
      await room.connect(joined.url, joined.token, { autoSubscribe: true, dynacast: false });
      const participants = await world.services.callRooms!.listParticipants(booking.id);
      expect(participants.map((p) => p.identity)).toContain(`parent:${contactId}`);
    });

    it('gives a token that lives no longer than the call near its end', async () => {
      const { contactId, token } = await signedInContact();
      const booking = await book(contactId, 120);
      const now = new Date(booking.end.getTime() - 2 * MINUTE);
      world.setNow(now);
      const joined = (await (await join(booking.id, token)).json()) as Joined;
      // The token's clock is the machine's, the app's is the test's: compare lifetimes.
      const claims = claimsOf(joined.token);
      expect(claims.exp - claims.nbf).toBeLessThanOrEqual(120);
    });

    it("refuses another household's call, a call not open, and a revoked phone", async () => {
      const { contactId, token } = await signedInContact();
      const own = await book(contactId, 180);
      const otherHome = await book(world.b.contact.id, 180, world.b);
      world.setNow(new Date(own.start.getTime() + MINUTE));
      expect((await join(otherHome.id, token)).status).toBe(404);
      expect((await join(own.id, token)).status).toBe(200);

      world.setNow(new Date(own.start.getTime() - 6 * MINUTE));
      expect((await join(own.id, token)).status).toBe(409);

      world.setNow(new Date(own.start.getTime() + MINUTE));
      const signOut = await world.app.request('/api/family/sign-out', {
        method: 'POST',
        headers: { authorization: `Family ${token}` },
      });
      expect(signOut.status).toBe(204);
      expect((await join(own.id, token)).status).toBe(401);
    });
  });
});
