import { createBooking, insertOutgoingSms, schema } from '@affection/db';
import { createBookingLifecycleProducer, createProducerConnection, SEND_SMS_JOB, startWorkers } from '@affection/jobs';
import { OutboxSmsSender, TwilioSmsSender } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  FAULT_TEST_SMS_OPTIONS,
  type FakeTwilio,
  FIXTURE_PASSWORD,
  PRINCIPAL_NAMES,
  startFakeTwilio,
  useSmsWorld,
  waitUntil,
} from '@affection/test-support';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleFamilyCodeDeliveries } from '../../apps/server/src/routes/family/deliver-family-code.ts';

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

describe('worker logs carry no personal data when a job fails in the database', () => {
  const fixture = useSmsWorld('pglite');

  it('a send job failing with a database error whose text holds the number: the log line names the error, not its text', async () => {
    const { database, redis, smsQueue } = fixture.world;
    const db = database.db;
    const logs: string[] = [];
    const log = (level: string) => (fields: Record<string, unknown>, message: string) => {
      logs.push(JSON.stringify({ level, message, ...fields }));
    };
    const now = new Date();
    const { message } = await insertOutgoingSms(db, {
      homeId: null,
      toPhone: '+8613700009876',
      body: '诸葛小雨的亲情电话在12:15，请准时接听。',
      dedupeKey: 'bkg_logtest-reminder-15m-v1',
      dueAt: now,
      now,
    });
    // The outbox sender looks the number up among the contacts: that query fails, and the driver's error
    // (the query and its parameters) holds the number.
    await db.execute(sql.raw('alter table contacts rename column sms_opt_out to log_test_sms_opt_out'));
    // One attempt, kept when it fails: its failure is final, so the workers log it. Added before the workers
    // start, so that their first reconcile finds the message's job there.
    await smsQueue.add(
      SEND_SMS_JOB,
      { v: 1, messageId: message.id },
      { jobId: message.id, attempts: 1, removeOnFail: false },
    );
    const workers = await startWorkers({
      redisUrl: redis.url,
      workerId: 'log-test',
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      db,
      smsSender: new OutboxSmsSender({ db }),
      smsProvider: 'outbox',
      sms: FAULT_TEST_SMS_OPTIONS,
    });
    try {
      await waitUntil(async () => logs.some((line) => line.includes('"job failed"') && line.includes(message.id)), {
        timeoutMs: 30_000,
        what: 'the failed send job logged',
      });
    } finally {
      await workers.close();
      await db.execute(sql.raw('alter table contacts rename column log_test_sms_opt_out to sms_opt_out'));
    }
    // The job did fail with the number in its error.
    const failed = await smsQueue.getJob(message.id);
    expect(failed?.failedReason).toContain('+8613700009876');
    expect(leaksOf(logs, ['13700009876', '3700009876', '诸葛小雨', '亲情电话'])).toEqual([]);
    const line = logs.find((entry) => entry.includes('"job failed"') && entry.includes(message.id));
    expect(line).toContain('"class":"DrizzleQueryError"');
  });
});

/** Digits alone must stand on their own in a line: a 6-digit code is inside many a timestamp. */
function leaksOf(lines: readonly string[], secrets: readonly string[]): string[] {
  const text = lines.join('\n');
  return [...new Set(secrets)].filter((secret) => {
    if (secret.length < 2) return false;
    if (/^\d+$/.test(secret)) return new RegExp(`(?<![0-9])${secret}(?![0-9])`).test(text);
    return text.includes(secret);
  });
}

describe('logs carry no personal data on the failing paths either', () => {
  let world: ApiWorld;
  let twilio: FakeTwilio;
  const printed: string[] = [];
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = consoleMethods.map((name) => [name, console[name]] as const);

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    world = await createApiWorld('pglite', {
      twilioAuthToken: twilio.authToken,
      sms: new TwilioSmsSender({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+15005550006',
        apiBaseUrl: twilio.url,
        timeoutMs: 2_000,
      }),
    });
    // Whatever a library prints is a log line too.
    for (const name of consoleMethods)
      console[name] = (...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      };
  });
  afterAll(async () => {
    for (const [name, original] of originals) console[name] = original;
    await world?.close();
    await twilio?.close();
  });

  it('after database errors, validation failures, a provider answering 500 and Redis going down, no name, number, code, token, hash or enrolment secret is in any line', async () => {
    const db = world.services.database.db;
    const secrets: string[] = [FIXTURE_PASSWORD, world.a.child.givenName, world.a.contact.name, '13812345678'];
    for (const who of PRINCIPAL_NAMES)
      for (const value of Object.values(world.headersFor(who)))
        secrets.push(...value.split(/[\s=;]+/).filter((part) => part.length >= 16));
    let requestsMade = 0;
    const call = async (path: string, init: Parameters<ApiWorld['request']>[1] = {}) => {
      requestsMade += 1;
      const res = await world.request(path, init);
      const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      return { status: res.status, body };
    };

    // Sign-in and an enrolment link (its secret is a path segment of the parents' page).
    const login = await call('/api/auth/login', {
      json: { login: world.a.teacher.username, password: FIXTURE_PASSWORD },
    });
    expect(login.status).toBe(200);
    secrets.push(String(login.body?.csrfToken));
    const link = await call(`/api/contacts/${world.a.contact.id}/enrolment-link`, { as: 'teacherA', json: {} });
    expect(link.status).toBe(201);
    const enrolToken = String(link.body?.url).split('/family/enrol/')[1]!;
    secrets.push(enrolToken);
    await call(`/family/enrol/${enrolToken}?from=qr`);
    const enrolled = await call('/api/family/enrol', { json: { token: enrolToken } });
    for (const value of Object.values(enrolled.body ?? {}))
      if (typeof value === 'string' && value.length >= 16) secrets.push(value);

    // A parent's code by SMS, through the provider: the code is in the message the fake received.
    await call('/api/family/code', { json: { phone: '138 1234 5678' } });
    await twilio.waitForMessages(1, { timeoutMs: 10_000 });
    const sent = [...twilio.messages.values()].map((message) => message.body).join('\n');
    const code = /\d{6}/.exec(sent)?.[0];
    expect(code).toBeDefined();
    secrets.push(code!);
    await call('/api/family/code/verify', { json: { phone: '+8613812345678', code: '000000' } });
    const verified = await call('/api/family/code/verify', { json: { phone: '+8613812345678', code } });
    for (const value of Object.values(verified.body ?? {}))
      if (typeof value === 'string' && value.length >= 16) secrets.push(value);

    // A provider failure: Twilio answers 500 to the next sends (a minute later: the number takes 1 code a minute).
    twilio.failNext(5, 500);
    world.setNow(new Date(world.services.now().getTime() + 60_000));
    await call('/api/family/code', { json: { phone: '+8613812345678' } });

    // Validation failures with personal data in the refused values, the query and the headers.
    secrets.push(
      '欧阳娜娜',
      '诸葛小雨',
      '13700001234',
      '3700001234',
      '15912345678',
      'zhuge.teacher',
      'ZhugeXiaoyu',
      'Secret-Pass-欧阳-2026',
    );
    await call('/api/contacts', {
      as: 'teacherA',
      json: { householdId: world.a.household.id, name: '欧阳娜娜', relation: 'mother', phone: '137 0000 1234 ext' },
    });
    await call('/api/households', { as: 'teacherA', json: { name: '欧阳娜娜\u0000' } });
    await call('/api/auth/login', { json: { login: '15912345678\u0000', password: 'Secret-Pass-欧阳-2026' } });
    await call('/api/auth/login', { json: { login: 'zhuge.teacher', password: 'Secret-Pass-欧阳-2026' } });
    await call(`/api/children?search=${encodeURIComponent('诸葛小雨')}`, { as: 'teacherA' });
    await call(`/api/诸葛小雨/13700001234`, { as: 'teacherA' });
    await call('/webhooks/twilio/sms', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': 'forged',
        'x-twilio-webhooks-signature-settings': 'algorithm=ZhugeXiaoyu-13700001234',
      },
    });
    await call('/api/auth/me', {
      headers: { cookie: 'ap_session=13700001234-ZhugeXiaoyu', 'x-request-id': '13700001234' },
    });

    // Database errors under requests: the tables refuse every new row, so the driver's error carries the values.
    for (const table of ['contacts', 'staff', 'staff_sessions', 'households'])
      await db.execute(sql.raw(`alter table ${table} add constraint log_test_refuses check (false) not valid`));
    try {
      const refused = await call('/api/contacts', {
        as: 'teacherA',
        json: { householdId: world.a.household.id, name: '欧阳娜娜', relation: 'mother', phone: '137 0000 1234' },
      });
      expect(refused.status).toBe(500);
      const staff = await call('/api/staff', {
        as: 'adminA',
        json: {
          role: 'teacher',
          displayName: '诸葛小雨',
          username: 'zhuge.teacher',
          phone: '159 1234 5678',
          password: 'Secret-Pass-欧阳-2026',
        },
      });
      expect(staff.status).toBe(500);
      const signIn = await call('/api/auth/login', {
        json: { login: world.a.teacher.username, password: FIXTURE_PASSWORD },
      });
      expect(signIn.status).toBe(500);
      await call('/api/households', { as: 'teacherA', json: { name: '诸葛家' } });
      secrets.push('诸葛家');
    } finally {
      for (const table of ['contacts', 'staff', 'staff_sessions', 'households'])
        await db.execute(sql.raw(`alter table ${table} drop constraint log_test_refuses`));
    }
    // Password hashes are in the staff rows: none may be in a line (nor any argon2id hash at all).
    const hashes = await db.select({ hash: schema.staff.passwordHash }).from(schema.staff);
    secrets.push(...hashes.map((row) => row.hash), '$argon2id$');

    // The server's lifecycle producer, when planning a booking fails in the database: the SMS rows it writes hold
    // the child's name and the parent's number.
    const now = world.services.now();
    const start = new Date(Math.ceil(now.getTime() / 3600_000) * 3600_000 + 86_400_000);
    const booked = await createBooking(db, {
      homeId: world.a.home.id,
      kioskId: world.a.kiosk.id,
      householdId: world.a.household.id,
      contactId: world.a.contact.id,
      childIds: [world.a.child.id],
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      status: 'confirmed',
      source: 'teacher',
      now,
    });
    expect(booked.ok).toBe(true);
    const connection = createProducerConnection(world.redisServer.url);
    connection.on('error', () => {});
    const producer = createBookingLifecycleProducer({
      connection,
      db,
      now: world.services.now,
      logger: world.services.logger,
    });
    await db.execute(sql.raw('alter table sms_messages add constraint log_test_refuses check (false) not valid'));
    try {
      await producer.onBookingChanged(booked.ok ? booked.booking.id : '');
    } finally {
      await db.execute(sql.raw('alter table sms_messages drop constraint log_test_refuses'));
      await producer.close();
      connection.disconnect();
    }
    expect(world.logs.some((line) => line.msg === 'booking lifecycle not planned now: the reconciler will')).toBe(true);

    // Redis down: sign-in, a parent's code and the health check while it is gone.
    await world.redisServer.stop();
    await call('/api/auth/login', { json: { login: '15912345678', password: 'Secret-Pass-欧阳-2026' } });
    await call('/api/family/code', { json: { phone: '159 1234 5678' } });
    await call('/healthz');
    // The parent's code is made and sent after the answer: wait for it, so its lines are searched too.
    await settleFamilyCodeDeliveries(world.services);

    const lines = [...world.logs.map((line) => JSON.stringify(line)), ...printed];
    expect(world.logs.some((line) => line.msg === 'unexpected error' || line.msg === 'request failed')).toBe(true);
    // Every request made above left its access line: the search ran over what was really logged.
    expect(world.logs.filter((line) => line.msg === 'request').length).toBeGreaterThanOrEqual(requestsMade);
    expect(leaksOf(lines, secrets)).toEqual([]);
  });
});
