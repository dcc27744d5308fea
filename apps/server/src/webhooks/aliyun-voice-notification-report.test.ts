import {
  type BookingRecord,
  claimVoiceNotification,
  createBooking,
  getVoiceNotification,
  insertVoiceNotificationOnce,
  listWebhookEvents,
  markVoiceNotificationPlaced,
} from '@affection/db';
import { createHomeChangeFeed, type HomeChange } from '@affection/jobs';
import { AliyunVoiceNotifier } from '@affection/telephony';
import {
  type AliyunVoiceReport,
  type ApiWorld,
  createApiWorld,
  createFakeAliyunVoice,
  type FakeAliyun,
  type FakeAliyunVoice,
  startFakeAliyun,
  type TestDatabaseKind,
  type WorldHome,
} from '@affection/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MINUTE = 60_000;
const TOKEN = 'voice-report-token-0123456789';
const TTS_CODE = 'TTS_100001';
const SHOW_NUMBER = '057112345678';

interface BoardCallBody {
  bookingId: string;
  voiceNotice: { status: string; provider: string; coming: boolean } | null;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('voice notification reports reach the board (%s)', (kind) => {
  let world: ApiWorld;
  let fake: FakeAliyun;
  let voice: FakeAliyunVoice;
  let notifier: AliyunVoiceNotifier;
  let subscriber: Redis;
  let publisher: Redis;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    subscriber = new Redis(world.redisServer.url);
    publisher = new Redis(world.redisServer.url);
    world.services.homeChanges = createHomeChangeFeed({ subscriber, publisher });
    world.services.settings.aliyunVoiceReport = { token: TOKEN, allowedAddresses: [] };
    voice = createFakeAliyunVoice({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba Cloud's TTS template syntax, as submitted.
      templates: { [TTS_CODE]: '${name}在学校等您，时间是${time}。您马上来，请按1。' },
      showNumbers: [SHOW_NUMBER],
      // Several calls to one family's number here; the limits are the step's tests' business.
      enforceCaps: false,
    });
    fake = await startFakeAliyun({ handlers: voice.handlers });
    notifier = new AliyunVoiceNotifier({
      accessKeyId: fake.accessKeyId,
      accessKeySecret: fake.accessKeySecret,
      showNumber: SHOW_NUMBER,
      templates: { 'parent-awaited': TTS_CODE },
      endpoint: fake.endpoint,
      protocol: 'http',
    });
  }, 120_000);
  afterAll(async () => {
    await fake?.close();
    subscriber?.disconnect();
    publisher?.disconnect();
    await world?.close();
  });

  let calls = 0;
  /**
   * A call of a Home's family and its placed voice notification (through the fake): the first under way (started
   * 3 minutes ago), each later one 20 minutes before the one made before it.
   */
  async function placedNotice(home: WorldHome): Promise<{ booking: BookingRecord; callId: string; id: string }> {
    const db = world.database.db;
    const now = world.services.now();
    const start = new Date(now.getTime() - 3 * MINUTE - calls * 20 * MINUTE);
    calls += 1;
    const made = await createBooking(db, {
      homeId: home.home.id,
      kioskId: home.kiosk.id,
      householdId: home.household.id,
      contactId: home.contact.id,
      childIds: [home.child.id],
      start,
      end: new Date(start.getTime() + 15 * MINUTE),
      status: 'confirmed',
      source: 'teacher',
      now,
    });
    if (!made.ok) throw new Error(`fixture booking refused: ${made.reason}`);
    const { notification } = await insertVoiceNotificationOnce(db, {
      homeId: home.home.id,
      bookingId: made.booking.id,
      contactId: home.contact.id,
      purpose: 'parent-awaited',
      toPhone: home.contact.phone,
      provider: 'aliyun',
      now,
    });
    const claim = await claimVoiceNotification(db, notification.id, { now, since: now, decide: () => now });
    if (!claim.ok) throw new Error('not claimed');
    const placed = await notifier.place({
      to: home.contact.phone,
      notificationId: notification.id,
      purpose: 'parent-awaited',
      variables: { name: home.child.givenName, time: '12:15' },
    });
    if (!placed.ok) throw new Error(`not placed: ${placed.failure.message}`);
    await markVoiceNotificationPlaced(db, notification.id, { providerCallId: placed.callId });
    return { booking: made.booking, callId: placed.callId, id: notification.id };
  }

  const post = (body: unknown, token = TOKEN) =>
    world.app.request(`/webhooks/aliyun/voice-report/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const boardCall = async (as: 'teacherA' | 'teacherB', bookingId: string) => {
    const response = await world.request('/api/board/today', { as });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { lanes: { calls: BoardCallBody[] }[] };
    return body.lanes.flatMap((lane) => lane.calls).find((call) => call.bookingId === bookingId);
  };

  it('shows the parent’s key 1 on the board as “coming now”, and tells open boards', async () => {
    const { booking, callId, id } = await placedNotice(world.a);
    expect(await boardCall('teacherA', booking.id)).toMatchObject({
      voiceNotice: { status: 'placed', provider: 'aliyun', coming: false },
    });
    const heard: HomeChange[] = [];
    const unsubscribe = world.services.homeChanges?.subscribe(world.a.home.id, (change) => heard.push(change));
    // The subscription is live once the subscriber connection has subscribed to the Home's channel.
    const deadline = Date.now() + 5_000;
    while ((await publisher.pubsub('NUMSUB', `home-changes:${world.a.home.id}`))[1] === 0) {
      if (Date.now() > deadline) throw new Error('the board feed never subscribed');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const response = await post([voice.report(callId, { answered: true, dtmf: '1' })]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 0, msg: '成功' });
    expect(await getVoiceNotification(world.database.db, id)).toMatchObject({ status: 'answered', dtmf: '1' });
    expect(await boardCall('teacherA', booking.id)).toMatchObject({
      voiceNotice: { status: 'answered', coming: true },
    });
    const until = Date.now() + 5_000;
    while (!heard.some((change) => change.bookingId === booking.id)) {
      if (Date.now() > until) throw new Error('no change published for the booking');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    unsubscribe?.();
    // The other Home's staff never see it.
    expect(await boardCall('teacherB', booking.id)).toBeUndefined();
  });

  it('takes reports duplicated and out of order to one final status', async () => {
    const { callId, id } = await placedNotice(world.b);
    const keyPressed: AliyunVoiceReport = {
      ...voice.report(callId, { answered: true, dtmf: '1' }),
      status_code: '300000',
      status_msg: '用户按键',
    };
    const hungUp = voice.report(callId, { answered: true });
    const unanswered = voice.report(callId, { answered: false });
    // A late "not answered" must not undo the answer; the key survives any order.
    for (const batch of [
      [hungUp, keyPressed],
      [keyPressed, unanswered, hungUp],
      [unanswered, keyPressed],
    ]) {
      expect((await post(batch)).status).toBe(200);
    }
    expect(await getVoiceNotification(world.database.db, id)).toMatchObject({ status: 'answered', dtmf: '1' });
    const events = (await listWebhookEvents(world.database.db, 'aliyun-voice-report')).filter((e) =>
      e.eventId.startsWith(`${callId}:`),
    );
    expect(events.map((e) => e.eventId).sort()).toEqual(
      [`${callId}:200000:`, `${callId}:200002:`, `${callId}:300000:1`].sort(),
    );
  });

  it('records a call not answered, and keeps it so when the report comes again', async () => {
    const { callId, id } = await placedNotice(world.b);
    const report = voice.report(callId, { answered: false, busy: true });
    for (let i = 0; i < 3; i += 1) expect((await post([report])).status).toBe(200);
    expect(await getVoiceNotification(world.database.db, id)).toMatchObject({ status: 'busy', dtmf: null });
  });

  it('refuses a wrong token, an address outside the allow-list and a body that is not a report array', async () => {
    const { callId, id } = await placedNotice(world.a);
    const report = voice.report(callId, { answered: true, dtmf: '1' });
    expect((await post([report], 'wrong-token-0123456789abcdef')).status).toBe(403);
    world.services.settings.aliyunVoiceReport = { token: TOKEN, allowedAddresses: ['100.104.0.0/16'] };
    try {
      expect((await post([report])).status).toBe(403);
    } finally {
      world.services.settings.aliyunVoiceReport = { token: TOKEN, allowedAddresses: [] };
    }
    expect((await post('{"call_id":')).status).toBe(400);
    expect((await post({ call_id: callId })).status).toBe(400);
    expect(await getVoiceNotification(world.database.db, id)).toMatchObject({ status: 'placed', dtmf: null });
    world.services.settings.aliyunVoiceReport = null;
    try {
      expect((await post([report])).status).toBe(404);
    } finally {
      world.services.settings.aliyunVoiceReport = { token: TOKEN, allowedAddresses: [] };
    }
  });
});
