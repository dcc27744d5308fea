import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isTelephonyError, type JoinToken } from '@affection/core';
import { LivekitCallRooms, LivekitWebhookVerifier } from '@affection/telephony';
import { getFreeTcpPort, type LivekitServer, startLivekit } from '@affection/test-support';
import {
  AudioSource,
  ConnectError,
  dispose,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { AccessToken, RoomServiceClient, TrackSource as ServerTrackSource, TokenVerifier } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** A webhook as LiveKit posted it: the raw body and the Authorization header, untouched. */
interface ReceivedWebhook {
  body: string;
  authorization: string | undefined;
}

/** A small server LiveKit posts its webhooks to. */
interface WebhookSink {
  url: string;
  received: ReceivedWebhook[];
  /** Resolves with the first webhook (already received or still to come) matching `predicate`. */
  waitFor(predicate: (webhook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

async function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedWebhook[] = [];
  const events = new EventEmitter();
  const port = await getFreeTcpPort();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const webhook = { body: Buffer.concat(chunks).toString('utf8'), authorization: request.headers.authorization };
      received.push(webhook);
      events.emit('webhook', webhook);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/livekit`,
    received,
    async waitFor(predicate, timeoutMs = 15_000) {
      const found = received.find(predicate);
      if (found) return found;
      const signal = AbortSignal.timeout(timeoutMs);
      for (;;) {
        const [webhook] = (await once(events, 'webhook', { signal })) as [ReceivedWebhook];
        if (predicate(webhook)) return webhook;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const isEvent = (event: string, identity?: string) => (webhook: ReceivedWebhook) => {
  const parsed = JSON.parse(webhook.body) as { event?: string; participant?: { identity?: string } };
  return parsed.event === event && (identity === undefined || parsed.participant?.identity === identity);
};

const bookingId = () => `bkg_${randomUUID().slice(0, 8)}`;

describe('LiveKit call rooms on the real server', () => {
  let livekit: LivekitServer;
  let sink: WebhookSink;
  let rooms: LivekitCallRooms;
  let admin: RoomServiceClient;
  let verifier: LivekitWebhookVerifier;
  const clients: Room[] = [];
  /** Issued first, so the other tests' time counts towards its expiry. */
  let expiring: JoinToken;
  const expiringBooking = bookingId();

  const join = async (token: string) => {
    const room = new Room();
    clients.push(room);
    await room.connect(livekit.wsUrl, token, { autoSubscribe: true, dynacast: false });
    return room;
  };

  beforeAll(async () => {
    sink = await startWebhookSink();
    livekit = await startLivekit({ webhookUrls: [sink.url] });
    rooms = new LivekitCallRooms({ url: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
    admin = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    verifier = new LivekitWebhookVerifier({ apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
    await rooms.openRoom({ bookingId: expiringBooking, homeId: 'hom_1', emptyTimeoutSeconds: 300, maxParticipants: 4 });
    expiring = await rooms.issueJoinToken({
      bookingId: expiringBooking,
      subject: { role: 'child', childId: 'chd_late' },
      ttlSeconds: 1,
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((room) => room.disconnect()));
  });
  afterAll(async () => {
    await dispose();
    await livekit?.stop();
    await sink?.close();
  });

  it('opens a room named after the booking, with its metadata, and reopening returns the same room', async () => {
    const booking = bookingId();
    const room = await rooms.openRoom({
      bookingId: booking,
      homeId: 'hom_1',
      emptyTimeoutSeconds: 120,
      maxParticipants: 4,
    });
    expect(room).toMatchObject({
      name: booking,
      bookingId: booking,
      homeId: 'hom_1',
      emptyTimeoutSeconds: 120,
      maxParticipants: 4,
      participantCount: 0,
    });
    expect(Math.abs(room.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const listed = (await admin.listRooms([booking]))[0];
    expect(listed?.name).toBe(booking);
    expect(JSON.parse(listed?.metadata ?? '')).toEqual({ bookingId: booking, homeId: 'hom_1' });
    expect(listed?.emptyTimeout).toBe(120);
    expect(listed?.maxParticipants).toBe(4);
    const again = await rooms.openRoom({
      bookingId: booking,
      homeId: 'hom_1',
      emptyTimeoutSeconds: 120,
      maxParticipants: 4,
    });
    expect(again.createdAt).toEqual(room.createdAt);
  });

  it('admits a kiosk with its token and lists it as a child at the kiosk', async () => {
    const booking = bookingId();
    await rooms.openRoom({ bookingId: booking, homeId: 'hom_1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
    const token = await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'child', childId: 'chd_1' } });
    expect(token).toMatchObject({ identity: 'kid:chd_1', room: booking, canPublish: true, isHidden: false });
    const kiosk = await join(token.token);
    expect(kiosk.name).toBe(booking);
    const participants = await rooms.listParticipants(booking);
    expect(participants).toEqual([
      { identity: 'kid:chd_1', who: { role: 'child', childId: 'chd_1' }, kind: 'kiosk', joinedAt: expect.any(Date) },
    ]);
    expect(Math.abs((participants[0]?.joinedAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    // The kiosk may publish its microphone.
    const track = LocalAudioTrack.createAudioTrack('mic', new AudioSource(48_000, 1));
    const publication = await kiosk.localParticipant?.publishTrack(
      track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    expect(publication?.sid).toMatch(/^TR_/);
  });

  it('issues tokens of at most 10 minutes for one room, and refuses longer ones', async () => {
    const booking = bookingId();
    const issuedAt = Date.now();
    const token = await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'parent', contactId: 'cnt_1' } });
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(token.token);
    expect(claims.sub).toBe('parent:cnt_1');
    expect(claims.video).toMatchObject({ roomJoin: true, room: booking, canPublish: true, canSubscribe: true });
    expect(claims.video?.roomAdmin).toBeFalsy();
    expect(claims.video?.roomCreate).toBeFalsy();
    expect(claims.video?.roomList).toBeFalsy();
    expect(token.expiresAt.getTime() - issuedAt).toBeLessThanOrEqual(600_000 + 1_000);
    expect(token.expiresAt.getTime() - issuedAt).toBeGreaterThan(590_000);
    await expect(
      rooms.issueJoinToken({ bookingId: booking, subject: { role: 'parent', contactId: 'cnt_1' }, ttlSeconds: 601 }),
    ).rejects.toThrow(RangeError);
  });

  it('a token for one room lands in that room only', async () => {
    const first = bookingId();
    const second = bookingId();
    await rooms.openRoom({ bookingId: first, homeId: 'hom_1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
    await rooms.openRoom({ bookingId: second, homeId: 'hom_1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
    const token = await rooms.issueJoinToken({ bookingId: first, subject: { role: 'parent', contactId: 'cnt_2' } });
    const client = await join(token.token);
    expect(client.name).toBe(first);
    expect((await rooms.listParticipants(first)).map((p) => p.identity)).toEqual(['parent:cnt_2']);
    expect(await rooms.listParticipants(second)).toEqual([]);
    // Nor does it open the server API for the other room.
    const withToken = new RoomServiceClient(livekit.httpUrl, undefined, undefined, { token: token.token });
    await expect(withToken.listParticipants(second)).rejects.toMatchObject({ status: 401 });
  });

  it('a staff observer watches unseen and may not publish', async () => {
    const booking = bookingId();
    await rooms.openRoom({ bookingId: booking, homeId: 'hom_1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
    const kiosk = await join(
      (await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'child', childId: 'chd_2' } })).token,
    );
    const staffToken = await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'staff', staffId: 'stf_1' } });
    expect(staffToken).toMatchObject({ canPublish: false, isHidden: true });
    await join(staffToken.token);
    const parentJoined = once(kiosk, RoomEvent.ParticipantConnected);
    await join(
      (await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'parent', contactId: 'cnt_3' } })).token,
    );
    await parentJoined;
    // The kiosk sees the parent, who joined after the observer, but never the observer.
    expect([...kiosk.remoteParticipants.keys()]).toEqual(['parent:cnt_3']);
    const observer = await admin.getParticipant(booking, 'staff:stf_1');
    expect(observer.permission).toMatchObject({
      canPublish: false,
      canSubscribe: true,
      hidden: true,
      canPublishData: false,
    });
    const parent = await admin.getParticipant(booking, 'parent:cnt_3');
    expect(parent.permission).toMatchObject({ canPublish: true, canSubscribe: true, hidden: false });
    expect(parent.permission?.canPublishSources).toEqual([ServerTrackSource.CAMERA, ServerTrackSource.MICROPHONE]);
    expect((await rooms.listParticipants(booking)).map((p) => [p.identity, p.kind]).sort()).toEqual([
      ['kid:chd_2', 'kiosk'],
      ['parent:cnt_3', 'web'],
      ['staff:stf_1', 'web'],
    ]);
  });

  it('closes a room, disconnecting everyone, and says when it was already gone', async () => {
    const booking = bookingId();
    await rooms.openRoom({ bookingId: booking, homeId: 'hom_1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
    const kiosk = await join(
      (await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'child', childId: 'chd_3' } })).token,
    );
    const disconnected = once(kiosk, RoomEvent.Disconnected);
    expect(await rooms.closeRoom(booking)).toEqual({ ok: true });
    await disconnected;
    expect(await rooms.closeRoom(booking)).toEqual({ ok: false, reason: 'not-found' });
    expect(await rooms.listParticipants(booking)).toEqual([]);
  });

  describe('webhooks', () => {
    it('verifies the webhooks the server sends for a join, as typed events', async () => {
      const booking = bookingId();
      await rooms.openRoom({ bookingId: booking, homeId: 'hom_9', emptyTimeoutSeconds: 120, maxParticipants: 4 });
      await join(
        (await rooms.issueJoinToken({ bookingId: booking, subject: { role: 'child', childId: 'chd_4' } })).token,
      );
      const webhook = await sink.waitFor(isEvent('participant_joined', 'kid:chd_4'));
      expect(webhook.authorization).toBeTruthy();
      expect(webhook.authorization).not.toMatch(/^Bearer /);
      const check = await verifier.verify(webhook.body, webhook.authorization);
      if (!check.ok) throw new Error(check.message);
      expect(check.event).toMatchObject({
        type: 'participant-joined',
        providerType: 'participant_joined',
        roomName: booking,
        bookingId: booking,
        homeId: 'hom_9',
        participant: { identity: 'kid:chd_4', kind: 'kiosk', who: { role: 'child', childId: 'chd_4' } },
      });
      expect(check.event.id).toBeTruthy();
      expect(Math.abs(check.event.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
      const started = await sink.waitFor((w) => isEvent('room_started')(w) && w.body.includes(booking));
      const startedCheck = await verifier.verify(started.body, started.authorization);
      expect(startedCheck).toMatchObject({ ok: true, event: { type: 'room-started', bookingId: booking } });
    });

    it('rejects a tampered body, a forged signature, another server’s key and a missing header', async () => {
      const webhook = await sink.waitFor(isEvent('participant_joined'));
      const tampered = webhook.body.replace(/"identity":\s*"kid:[^"]+"/, '"identity":"kid:chd_forged"');
      expect(tampered).not.toBe(webhook.body);
      expect(await verifier.verify(tampered, webhook.authorization)).toMatchObject({
        ok: false,
        reason: 'invalid-signature',
      });
      // A JWT with the right body hash, signed with a secret that is not ours.
      const forged = new AccessToken(livekit.apiKey, 'a-different-secret-a-different-secret-00');
      forged.sha256 = createHash('sha256').update(tampered).digest('base64');
      expect(await verifier.verify(tampered, await forged.toJwt())).toMatchObject({
        ok: false,
        reason: 'invalid-signature',
      });
      const otherServer = new LivekitWebhookVerifier({
        apiKey: livekit.apiKey,
        apiSecret: 'another-secret-another-secret-0000',
      });
      expect((await otherServer.verify(webhook.body, webhook.authorization)).ok).toBe(false);
      expect(await verifier.verify(webhook.body, undefined)).toMatchObject({ ok: false, reason: 'invalid-signature' });
      // And the genuine one still passes.
      expect((await verifier.verify(webhook.body, webhook.authorization)).ok).toBe(true);
    });
  });

  describe('errors', () => {
    it('maps refused credentials to an unauthorized TelephonyError without echoing the token', async () => {
      const wrong = new LivekitCallRooms({
        url: livekit.httpUrl,
        apiKey: livekit.apiKey,
        apiSecret: 'wrong-secret-wrong-secret-wrong-0',
      });
      const error = await wrong
        .openRoom({ bookingId: bookingId(), homeId: 'hom_1', emptyTimeoutSeconds: 60, maxParticipants: 4 })
        .catch((e: unknown) => e);
      expect(isTelephonyError(error)).toBe(true);
      expect(error).toMatchObject({
        reason: 'unauthorized',
        provider: 'livekit',
        code: 'service-unavailable',
        retryable: false,
      });
      expect((error as Error).message).not.toMatch(/eyJ/);
    });

    it('maps an unreachable server to a retryable unreachable TelephonyError', async () => {
      const port = await getFreeTcpPort();
      const nowhere = new LivekitCallRooms({ url: `http://127.0.0.1:${port}`, apiKey: 'key', apiSecret: 'secret' });
      await expect(nowhere.listParticipants('bkg_x')).rejects.toMatchObject({ reason: 'unreachable', retryable: true });
    });

    it('fails fast at construction without credentials', () => {
      expect(() => new LivekitCallRooms({ url: livekit.httpUrl, apiKey: '', apiSecret: 'x' })).toThrow(/apiKey/);
      expect(() => new LivekitCallRooms({ url: '', apiKey: 'k', apiSecret: 'x' })).toThrow(/url/);
      expect(() => new LivekitCallRooms({ url: 'localhost:7880', apiKey: 'k', apiSecret: 'x' })).toThrow(/http/);
      expect(() => new LivekitWebhookVerifier({ apiKey: 'k', apiSecret: '' })).toThrow(/apiSecret/);
    });
  });

  // Last, so the tests above count towards the wait. LiveKit accepts a token for one minute past
  // its expiry (clock-skew leeway), so this waits until well after exp + 60 s.
  it('refuses an expired token', { timeout: 120_000 }, async () => {
    const refusedAfter = expiring.expiresAt.getTime() + 62_000;
    while (Date.now() < refusedAfter) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, refusedAfter - Date.now())));
    }
    const error = await join(expiring.token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toMatch(/401|expired/i);
    expect(await rooms.listParticipants(expiringBooking)).toEqual([]);
  });
});
