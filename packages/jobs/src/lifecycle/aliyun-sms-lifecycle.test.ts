import { DEFAULT_SMS_COUNTRY_POLICIES, type SmsCountryPolicies, ZH_CN_SMS_TEMPLATE_TEXTS } from '@affection/core';
import { findSmsByDedupeKey, getSmsMessage } from '@affection/db';
import { AliyunSmsSender, OutboxSmsSender, RoutingSmsSender } from '@affection/telephony';
import {
  createFakeAliyunSms,
  type FakeAliyun,
  type FakeAliyunSms,
  openTestDatabase,
  startFakeAliyun,
  type TestDatabase,
} from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSmsMessage } from '../send-sms-message.ts';
import { SMS_NO_APPROVED_TEMPLATE } from '../sms-template-fields.ts';
import { lifecycleKey } from './decide-booking-plan.ts';
import { planBooking } from './plan-booking.ts';
import { bookTestCall, seedTestFamily, seedTestHome, type TestHome } from './test-fixtures.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const SIGN = '青山小学';
/** Approved: the phone-channel confirmation and 15-minute reminder; the day-before reminder is not. */
const CODES = { 'booking-confirmed-phone': 'SMS_200001', 'reminder-15-min-phone': 'SMS_200002' } as const;
const POLICIES: SmsCountryPolicies = {
  ...DEFAULT_SMS_COUNTRY_POLICIES,
  templatesOnly: { callingCodes: ['86'], approved: Object.keys(CODES) },
};

describe('the booking lifecycle through Alibaba Cloud SMS (PGlite, the real SDK against the fake API)', () => {
  let database: TestDatabase;
  let fake: FakeAliyun;
  let sms: FakeAliyunSms;
  let home: TestHome;
  let routing: RoutingSmsSender;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    sms = createFakeAliyunSms({
      templates: {
        SMS_200001: ZH_CN_SMS_TEMPLATE_TEXTS['booking-confirmed-phone'],
        SMS_200002: ZH_CN_SMS_TEMPLATE_TEXTS['reminder-15-min-phone'],
      },
      signNames: [SIGN],
    });
    fake = await startFakeAliyun({ handlers: sms.handlers });
    home = await seedTestHome(database.db);
    const aliyun = new AliyunSmsSender({
      accessKeyId: fake.accessKeyId,
      accessKeySecret: fake.accessKeySecret,
      signName: SIGN,
      templateCodes: CODES,
      endpoint: fake.endpoint,
      protocol: 'http',
      timeoutMs: 2_000,
    });
    routing = new RoutingSmsSender({
      domestic: { name: 'aliyun', sender: aliyun },
      international: { name: 'outbox', sender: new OutboxSmsSender({ db: database.db }) },
    });
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  function sendAt(at: Date, messageId: string) {
    return sendSmsMessage(
      { db: database.db, sender: routing, provider: (to) => routing.providerFor(to), now: () => at },
      messageId,
    );
  }

  it('plans template and variables with each message, refuses the unapproved one visibly, and sends the rest with their codes', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home, { channel: 'phone' });
    const start = new Date(now.getTime() + 25 * HOUR);
    const booking = await bookTestCall(db, home, family, { start, end: new Date(start.getTime() + 15 * MIN), now });

    await planBooking({ db, now, smsPolicies: POLICIES }, booking.id);
    const [confirm, dayBefore, soon] = await Promise.all(
      (['confirm-sms', 'reminder-day-before', 'reminder-15m'] as const).map((name) =>
        findSmsByDedupeKey(db, lifecycleKey(booking.id, name, 1)),
      ),
    );
    const time = `${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric' })
      .formatToParts(start)
      .filter((p) => p.type === 'month' || p.type === 'day')
      .map((p) => p.value)
      .join('月')}日`;
    expect(confirm).toMatchObject({
      status: 'pending',
      template: 'booking-confirmed',
      templateParams: { key: 'booking-confirmed-phone', variables: { name: '小明' } },
    });
    expect(confirm?.templateParams?.variables.time).toContain(time);
    expect(dayBefore).toMatchObject({
      status: 'failed',
      errorCode: SMS_NO_APPROVED_TEMPLATE,
      errorMessage: 'No approved template for reminder-day-before-phone: set its template code',
      templateParams: { key: 'reminder-day-before-phone' },
    });
    expect(soon).toMatchObject({ status: 'pending', templateParams: { key: 'reminder-15-min-phone' } });

    expect(await sendAt(now, confirm?.id ?? '')).toMatchObject({ kind: 'sent', via: 'send' });
    expect(await sendAt(now, dayBefore?.id ?? '')).toEqual({ kind: 'settled', status: 'failed' });
    expect(await sendAt(soon?.dueAt ?? now, soon?.id ?? '')).toMatchObject({ kind: 'sent', via: 'send' });

    const sent = [...sms.messages.values()].filter((m) => m.phone === family.phone.slice(3));
    expect(sent.map((m) => [m.templateCode, m.outId, Object.keys(m.params).sort()])).toEqual([
      ['SMS_200001', confirm?.id, ['name', 'time']],
      ['SMS_200002', soon?.id, ['clock', 'name']],
    ]);
    expect(sent[1]?.content).toMatch(/^【青山小学】小明\d\d:\d\d和您通话，15分钟后开始，我们会打电话给您。$/);
    expect(await getSmsMessage(db, confirm?.id ?? '')).toMatchObject({
      status: 'sent',
      provider: 'aliyun',
      providerId: sent[0]?.bizId,
    });
  });

  it('sends the parent in Madrid (+34) the rendered text through the other provider, with no template needed', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home, { language: 'en', timeZone: 'Europe/Madrid' });
    const madrid = '+34612345678';
    await db.execute(`update contacts set phone = '${madrid}' where id = '${family.contactId}'`);
    const start = new Date(now.getTime() + 26 * HOUR);
    const booking = await bookTestCall(db, home, family, { start, end: new Date(start.getTime() + 15 * MIN), now });
    const before = sms.messages.size;

    await planBooking({ db, now, smsPolicies: POLICIES }, booking.id);
    const confirm = await findSmsByDedupeKey(db, lifecycleKey(booking.id, 'confirm-sms', 1));
    expect(confirm).toMatchObject({ status: 'pending', toPhone: madrid, errorCode: null });
    expect(await sendAt(now, confirm?.id ?? '')).toMatchObject({ kind: 'sent' });
    expect(await getSmsMessage(db, confirm?.id ?? '')).toMatchObject({ status: 'sent', provider: 'outbox' });
    expect(confirm?.body).toMatch(/Xiao ?[Mm]ing|小明/);
    expect(sms.messages.size).toBe(before);
  });
});
