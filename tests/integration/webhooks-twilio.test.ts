import type { AddressInfo } from 'node:net';
import type { SmsCountryPolicies } from '@affection/core';
import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHousehold,
  getBooking,
  getContact,
  getSmsMessage,
  insertOutgoingSms,
  listAuditForSubject,
  listWebhookEvents,
  markSmsAccepted,
  schema,
  updateContact,
} from '@affection/db';
import { TwilioSmsSender } from '@affection/telephony';
import { type ApiWorld, createApiWorld, startFakeTwilio, type TestDatabaseKind } from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';
import { VOICE_PROMPTS } from '../../apps/server/src/webhooks/voice-prompts.ts';

// ---------------------------------------------------------------------------------------------
// A small XML reader, so TwiML is checked as a document (elements, attributes, text), not as text.

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const known = ENTITIES[entity];
    if (known === undefined) throw new Error(`Unknown entity ${whole}`);
    return known;
  });
}

/** Parses a whole document into its root element; throws on anything malformed. */
function parseXml(xml: string): XmlElement {
  let at = 0;
  const skipSpace = () => {
    while (at < xml.length && /\s/.test(xml[at] ?? '')) at += 1;
  };
  const expect_ = (text: string) => {
    if (!xml.startsWith(text, at)) throw new Error(`Expected ${text} at ${at}: ${xml.slice(at, at + 20)}`);
    at += text.length;
  };
  const readName = () => {
    const match = /^[A-Za-z_][\w.-]*/.exec(xml.slice(at));
    if (!match) throw new Error(`Expected a name at ${at}`);
    at += match[0].length;
    return match[0];
  };
  const readElement = (): XmlElement => {
    expect_('<');
    const element: XmlElement = { name: readName(), attributes: {}, children: [] };
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', at)) {
        at += 2;
        return element;
      }
      if (xml.startsWith('>', at)) {
        at += 1;
        break;
      }
      const name = readName();
      skipSpace();
      expect_('=');
      skipSpace();
      const quote = xml[at];
      if (quote !== '"' && quote !== "'") throw new Error(`Expected a quoted value at ${at}`);
      const end = xml.indexOf(quote, at + 1);
      if (end < 0) throw new Error('Unterminated attribute');
      if (name in element.attributes) throw new Error(`Duplicate attribute ${name}`);
      element.attributes[name] = decodeEntities(xml.slice(at + 1, end));
      at = end + 1;
    }
    for (;;) {
      if (at >= xml.length) throw new Error(`<${element.name}> is not closed`);
      if (xml.startsWith('</', at)) {
        at += 2;
        const name = readName();
        if (name !== element.name) throw new Error(`</${name}> closes <${element.name}>`);
        skipSpace();
        expect_('>');
        return element;
      }
      if (xml.startsWith('<', at)) {
        element.children.push(readElement());
        continue;
      }
      const next = xml.indexOf('<', at);
      const text = xml.slice(at, next < 0 ? xml.length : next);
      element.children.push(decodeEntities(text));
      at += text.length;
    }
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('Unterminated XML declaration');
    at = end + 2;
  }
  skipSpace();
  const root = readElement();
  skipSpace();
  if (at !== xml.length) throw new Error(`Content after the root element: ${xml.slice(at, at + 20)}`);
  return root;
}

const elementsOf = (parent: XmlElement): XmlElement[] =>
  parent.children.filter((child): child is XmlElement => typeof child !== 'string');

const textOf = (element: XmlElement): string =>
  element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');

/** The verbs of a response, as `[name, attributes, text]`, nested verbs flattened after their parent. */
function verbsOf(root: XmlElement): { name: string; attributes: Record<string, string>; text: string }[] {
  return elementsOf(root).flatMap((verb) => [
    { name: verb.name, attributes: verb.attributes, text: elementsOf(verb).length ? '' : textOf(verb) },
    ...verbsOf(verb).map((nested) => ({ ...nested, name: `${verb.name}>${nested.name}` })),
  ]);
}

describe('the test XML reader', () => {
  it('reads elements, attributes, text and entities, and refuses malformed documents', () => {
    const root = parseXml('<?xml version="1.0" encoding="UTF-8"?><R a="1&amp;2"><S x=\'y\'>&lt;你好&#x21;</S><E/></R>');
    expect(root).toEqual({
      name: 'R',
      attributes: { a: '1&2' },
      children: [
        { name: 'S', attributes: { x: 'y' }, children: ['<你好!'] },
        { name: 'E', attributes: {}, children: [] },
      ],
    });
    for (const bad of ['<R>', '<R></S>', '<R/><S/>', '<R a=1/>', '<R>&nbsp;</R>', '<R a="1" a="2"/>']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------------

const AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
const PUBLIC_URL = 'https://affection.example.org';
const HOME_NUMBER = '+15005550006';
const US_PARENT = '+15551234567';
const SIP_HOST = 'abc123.sip.livekit.cloud';
/** Monday 7 September 2026, 12:00 in Shanghai. */
const NOW = new Date('2026-09-07T04:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
/** Replies allowed to +1 numbers only (mainland China never). */
const POLICIES: SmsCountryPolicies = {
  byCallingCode: {
    '86': { allowsLinks: false, allowsReplies: false },
    '1': { allowsLinks: true, allowsReplies: true },
  },
  fallback: { allowsLinks: true, allowsReplies: false },
};

let sidSeq = 0;
const newSid = (prefix: 'SM' | 'CA') => `${prefix}${(++sidSeq).toString(16).padStart(32, '0')}`;

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('Twilio webhooks (%s)', (kind) => {
  let world: ApiWorld;
  let appWithSip: ReturnType<typeof createApp>;
  let appWithoutTwilio: ReturnType<typeof createApp>;
  let usContactId: string;
  let usHouseholdId: string;
  let usChildId: string;

  beforeAll(async () => {
    world = await createApiWorld(kind, { twilioAuthToken: AUTH_TOKEN, publicUrl: PUBLIC_URL, smsPolicies: POLICIES });
    world.setNow(NOW);
    appWithSip = createApp({ ...world.services, livekitSipHost: SIP_HOST });
    appWithoutTwilio = createApp({ ...world.services, twilioWebhooks: null });
    const db = world.database.db;
    const homeId = world.a.home.id;
    // A father working abroad (replies allowed there), in his own household with his own child.
    const household = await createHousehold(db, homeId, { name: '陈家' });
    usHouseholdId = household.id;
    usChildId = (await createChild(db, homeId, { householdId: household.id, familyName: '陈', givenName: '小雨' })).id;
    const contact = await createContact(db, homeId, {
      householdId: household.id,
      name: '陈大伟',
      relation: 'father',
      phone: US_PARENT,
      timeZone: 'America/New_York',
    });
    await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: NOW }, NOW);
    usContactId = contact.id;
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Posts a form signed like Twilio signs it (the SDK's own helper), then optionally tampers with it. */
  async function postTwilio(
    path: string,
    params: Record<string, string>,
    options: {
      query?: string;
      tamper?: Record<string, string>;
      signature?: string | null;
      app?: ReturnType<typeof createApp>;
    } = {},
  ): Promise<Response> {
    const query = options.query ?? '';
    const signature =
      options.signature === undefined
        ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}${query}`, params)
        : options.signature;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    const body = new URLSearchParams({ ...params, ...options.tamper }).toString();
    return (options.app ?? world.app).request(`${path}${query}`, { method: 'POST', headers, body });
  }

  async function bookingFor(
    who: 'a' | 'us',
    start: Date,
    status: BookingRecord['status'],
    durationMinutes = 15,
  ): Promise<BookingRecord> {
    const a = world.a;
    const result = await createBooking(world.database.db, {
      homeId: a.home.id,
      kioskId: a.kiosk.id,
      householdId: who === 'a' ? a.household.id : usHouseholdId,
      contactId: who === 'a' ? a.contact.id : usContactId,
      childIds: who === 'a' ? [a.child.id] : [usChildId],
      start,
      end: new Date(start.getTime() + durationMinutes * 60_000),
      status,
      source: 'teacher',
      now: NOW,
    });
    if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
    return result.booking;
  }

  const cleanUp = async (...bookings: BookingRecord[]) => {
    for (const booking of bookings) {
      await world.database.db.delete(schema.bookings).where(eq(schema.bookings.id, booking.id));
    }
  };

  const eventCount = async () => (await world.database.db.select().from(schema.webhookEvents)).length;

  describe('POST /webhooks/twilio/status', () => {
    async function sentMessage(providerId: string) {
      const { message } = await insertOutgoingSms(world.database.db, {
        homeId: world.a.home.id,
        toPhone: world.a.contact.phone,
        body: '小明明天12:15和您通话。【测试之家A】',
        now: NOW,
      });
      await markSmsAccepted(world.database.db, message.id, { provider: 'twilio', providerId, now: NOW });
      return message;
    }
    const status = (sid: string, messageStatus: string, extra: Record<string, string> = {}) => ({
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: messageStatus,
      SmsStatus: messageStatus,
      AccountSid: `AC${'0'.repeat(32)}`,
      ...extra,
    });

    it('applies a signed report, stores it once, and never moves a message backwards', async () => {
      const sid = newSid('SM');
      const message = await sentMessage(sid);
      const delivered = status(sid, 'delivered');
      expect((await postTwilio('/webhooks/twilio/status', delivered)).status).toBe(204);
      expect(await getSmsMessage(world.database.db, message.id)).toMatchObject({ status: 'delivered' });
      // A late 'sent' after 'delivered' is stored and ignored.
      expect((await postTwilio('/webhooks/twilio/status', status(sid, 'sent'))).status).toBe(204);
      expect(await getSmsMessage(world.database.db, message.id)).toMatchObject({ status: 'delivered' });
      // The same report again is a no-op.
      expect((await postTwilio('/webhooks/twilio/status', delivered)).status).toBe(204);
      const events = (await listWebhookEvents(world.database.db, 'twilio-status')).filter((e) => e.subject === sid);
      expect(events.map((e) => e.eventId).sort()).toEqual([`${sid}:delivered`, `${sid}:sent`]);
      expect(JSON.stringify(events)).not.toContain(world.a.contact.phone);
    });

    it('records a failure with its error code', async () => {
      const sid = newSid('SM');
      const message = await sentMessage(sid);
      const res = await postTwilio('/webhooks/twilio/status', status(sid, 'undelivered', { ErrorCode: '30003' }));
      expect(res.status).toBe(204);
      expect(await getSmsMessage(world.database.db, message.id)).toMatchObject({
        status: 'undelivered',
        errorCode: '30003',
      });
    });

    it('finds a message whose send timed out by the idempotency key in the callback URL', async () => {
      const { message } = await insertOutgoingSms(world.database.db, {
        homeId: world.a.home.id,
        toPhone: world.a.contact.phone,
        body: '超时的那条',
        status: 'sending',
        now: NOW,
      });
      const sid = newSid('SM');
      const res = await postTwilio('/webhooks/twilio/status', status(sid, 'sent'), {
        query: `?idempotencyKey=${message.id}`,
      });
      expect(res.status).toBe(204);
      expect(await getSmsMessage(world.database.db, message.id)).toMatchObject({ providerId: sid, status: 'sent' });
    });

    it('refuses a missing, forged or tampered signature with 403 and stores nothing', async () => {
      const sid = newSid('SM');
      const message = await sentMessage(sid);
      const before = await eventCount();
      const params = status(sid, 'delivered');
      const attempts = [
        await postTwilio('/webhooks/twilio/status', params, { signature: null }),
        await postTwilio('/webhooks/twilio/status', params, { signature: 'bm90IGEgc2lnbmF0dXJl' }),
        await postTwilio('/webhooks/twilio/status', params, { tamper: { MessageStatus: 'failed' } }),
        await postTwilio('/webhooks/twilio/status', params, { tamper: { ErrorCode: '30007' } }),
        await postTwilio('/webhooks/twilio/status', params, {
          signature: twilio.getExpectedTwilioSignature('another-token', `${PUBLIC_URL}/webhooks/twilio/status`, params),
        }),
        // Signed for one message's callback URL, replayed at another's.
        await world.app.request('/webhooks/twilio/status?idempotencyKey=sms_other', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilio.getExpectedTwilioSignature(
              AUTH_TOKEN,
              `${PUBLIC_URL}/webhooks/twilio/status?idempotencyKey=${message.id}`,
              params,
            ),
          },
          body: new URLSearchParams(params).toString(),
        }),
      ];
      expect(attempts.map((res) => res.status)).toEqual([403, 403, 403, 403, 403, 403]);
      expect(((await attempts[0]!.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      expect(await eventCount()).toBe(before);
      expect(await getSmsMessage(world.database.db, message.id)).toMatchObject({ status: 'sent' });
    });

    it('answers 400 for a signed request that is not a status callback, 404 when Twilio is not configured', async () => {
      expect((await postTwilio('/webhooks/twilio/status', { Foo: 'bar' })).status).toBe(400);
      const params = status(newSid('SM'), 'sent');
      expect((await postTwilio('/webhooks/twilio/status', params, { app: appWithoutTwilio })).status).toBe(404);
    });
  });

  describe('POST /webhooks/twilio/sms', () => {
    const inbound = (from: string, body: string, sid = newSid('SM')) => ({
      MessageSid: sid,
      SmsSid: sid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: from,
      To: HOME_NUMBER,
      Body: body,
      NumMedia: '0',
    });

    async function expectEmptyTwiml(res: Response) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(parseXml(await res.text())).toEqual({ name: 'Response', attributes: {}, children: [] });
    }

    const inboundRows = async (sid: string) =>
      world.database.db.select().from(schema.smsMessages).where(eq(schema.smsMessages.providerId, sid));

    it('STOP opts out every contact with the number, records the message once, and answers empty TwiML', async () => {
      const db = world.database.db;
      const homeId = world.a.home.id;
      // The same mother is also the contact of a second household.
      const second = await createHousehold(db, homeId, { name: '王家二' });
      const again = await createContact(db, homeId, {
        householdId: second.id,
        name: '李秀英',
        relation: 'mother',
        phone: world.a.contact.phone,
      });
      const message = inbound(world.a.contact.phone, ' stop ');
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', message));
      expect((await getContact(db, homeId, world.a.contact.id))?.smsOptOut).toBe(true);
      expect((await getContact(db, homeId, again.id))?.smsOptOut).toBe(true);
      // Home B's contact has another number and is untouched.
      expect((await getContact(db, world.b.home.id, world.b.contact.id))?.smsOptOut).toBe(false);
      const rows = await inboundRows(message.MessageSid);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ direction: 'in', status: 'received', body: ' stop ', homeId });
      // A replay stores nothing more.
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', message));
      expect(await inboundRows(message.MessageSid)).toHaveLength(1);
      const trail = await listAuditForSubject(db, 'contact', world.a.contact.id);
      expect(trail.filter((e) => e.action === 'contact.sms-opt-out')).toHaveLength(1);

      // START resumes messages; 退订 stops them again.
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', inbound(world.a.contact.phone, 'START')));
      expect((await getContact(db, homeId, world.a.contact.id))?.smsOptOut).toBe(false);
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', inbound(world.a.contact.phone, '退订')));
      expect((await getContact(db, homeId, world.a.contact.id))?.smsOptOut).toBe(true);
      await updateContact(db, homeId, world.a.contact.id, { smsOptOut: false }, NOW);
      await updateContact(db, homeId, again.id, { smsOptOut: false }, NOW);
    });

    it("'1' confirms and '2' declines the contact's next proposed booking where replies are allowed", async () => {
      const first = await bookingFor('us', minutes(26 * 60), 'proposed');
      const second = await bookingFor('us', minutes(50 * 60), 'proposed');
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', inbound(US_PARENT, '1')));
      expect(await getBooking(world.database.db, world.a.home.id, first.id)).toMatchObject({
        status: 'confirmed',
        version: 2,
      });
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', inbound(US_PARENT, '２')));
      expect(await getBooking(world.database.db, world.a.home.id, second.id)).toMatchObject({
        status: 'declined',
        version: 2,
      });
      const trail = await listAuditForSubject(world.database.db, 'booking', first.id);
      expect(trail[0]).toMatchObject({ action: 'booking.confirm', actorKind: 'family', actorId: usContactId });
      expect(trail[0]?.details).toMatchObject({ via: 'sms', version: 2 });
      await cleanUp(first, second);
    });

    it("ignores '1' from a mainland number (no replies to +86) and a tampered body", async () => {
      const booking = await bookingFor('a', minutes(30 * 60), 'proposed');
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', inbound(world.a.contact.phone, '1')));
      expect(await getBooking(world.database.db, world.a.home.id, booking.id)).toMatchObject({
        status: 'proposed',
        version: 1,
      });
      const before = await eventCount();
      const message = inbound(US_PARENT, 'hello');
      const res = await postTwilio('/webhooks/twilio/sms', message, { tamper: { Body: 'STOP' } });
      expect(res.status).toBe(403);
      expect(await inboundRows(message.MessageSid)).toHaveLength(0);
      expect(await eventCount()).toBe(before);
      expect((await getContact(world.database.db, world.a.home.id, usContactId))?.smsOptOut).toBe(false);
      await cleanUp(booking);
    });

    it('records a message from an unknown number and does nothing else', async () => {
      const message = inbound('+15550000000', 'STOP');
      await expectEmptyTwiml(await postTwilio('/webhooks/twilio/sms', message));
      expect(await inboundRows(message.MessageSid)).toMatchObject([{ homeId: null, contactId: null }]);
    });
  });

  describe('POST /webhooks/twilio/voice and /voice/menu', () => {
    const call = (from: string, extra: Record<string, string> = {}) => ({
      CallSid: newSid('CA'),
      AccountSid: `AC${'0'.repeat(32)}`,
      From: from,
      To: HOME_NUMBER,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      ...extra,
    });

    async function twimlOf(res: Response) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      const root = parseXml(await res.text());
      expect(root.name).toBe('Response');
      return verbsOf(root);
    }

    it('greets an unknown number politely, saying nothing about anyone, and hangs up', async () => {
      for (const from of ['+15550000000', 'anonymous', '']) {
        const verbs = await twimlOf(await postTwilio('/webhooks/twilio/voice', call(from)));
        expect(verbs).toEqual([
          { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.unknownCaller },
          { name: 'Hangup', attributes: {}, text: '' },
        ]);
      }
      const menu = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call('+15550000000', { Digits: '2' })),
      );
      expect(menu.map((v) => v.text).join('')).toBe(VOICE_PROMPTS.unknownCaller);
    });

    it('treats a contact whose approval was revoked as unknown', async () => {
      const db = world.database.db;
      const household = await createHousehold(db, world.a.home.id, { name: '赵家' });
      const revoked = await createContact(db, world.a.home.id, {
        householdId: household.id,
        name: '赵敏',
        relation: 'mother',
        phone: '+8613700000001',
      });
      await updateContact(
        db,
        world.a.home.id,
        revoked.id,
        { approvedBy: world.a.admin.id, approvedAt: NOW, revokedAt: NOW },
        NOW,
      );
      const verbs = await twimlOf(await postTwilio('/webhooks/twilio/voice', call('+8613700000001')));
      expect(verbs[0]?.text).toBe(VOICE_PROMPTS.unknownCaller);
    });

    it('tells a known caller there is no call booked', async () => {
      const verbs = await twimlOf(await postTwilio('/webhooks/twilio/voice', call(world.a.contact.phone)));
      expect(verbs).toEqual([
        {
          name: 'Say',
          attributes: { language: 'zh-CN' },
          text: VOICE_PROMPTS.greeting('测试之家A') + VOICE_PROMPTS.noCall,
        },
        { name: 'Hangup', attributes: {}, text: '' },
      ]);
    });

    it("says the child's next call in the caller's zone and offers cancel and repeat", async () => {
      // Wednesday 9 September, 12:15 in Shanghai.
      const booking = await bookingFor('a', new Date('2026-09-09T04:15:00Z'), 'confirmed');
      const verbs = await twimlOf(await postTwilio('/webhooks/twilio/voice', call(world.a.contact.phone)));
      expect(verbs).toEqual([
        {
          name: 'Gather',
          attributes: {
            numDigits: '1',
            action: `${PUBLIC_URL}/webhooks/twilio/voice/menu`,
            method: 'POST',
            timeout: '8',
          },
          text: '',
        },
        {
          name: 'Gather>Say',
          attributes: { language: 'zh-CN' },
          text:
            VOICE_PROMPTS.greeting('测试之家A') +
            VOICE_PROMPTS.nextCall('小明', '9月9日星期三 12:15') +
            VOICE_PROMPTS.menu({ canJoin: false, canCancel: true }),
        },
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.noInput },
        { name: 'Hangup', attributes: {}, text: '' },
      ]);
      expect(verbs[1]?.text).not.toContain('按1');
      expect(verbs.map((v) => v.text).join('')).not.toContain(world.a.contact.phone.slice(3));
      await cleanUp(booking);
    });

    it('says the time in a caller abroad’s own zone, marked as local time', async () => {
      const booking = await bookingFor('us', new Date('2026-09-09T04:15:00Z'), 'confirmed');
      const verbs = await twimlOf(await postTwilio('/webhooks/twilio/voice', call(US_PARENT)));
      // 04:15 UTC is 00:15 in New York (EDT).
      expect(verbs[1]?.text).toContain(VOICE_PROMPTS.nextCall('小雨', `9月9日星期三 00:15${VOICE_PROMPTS.localTime}`));
      await cleanUp(booking);
    });

    it('1 never bridges on caller ID alone: without a phone PIN it says how to set one (PINs: voice-pin.test.ts)', async () => {
      const open = await bookingFor('a', minutes(-5), 'confirmed', 15);
      const menu = await twimlOf(await postTwilio('/webhooks/twilio/voice', call(world.a.contact.phone)));
      expect(menu[1]?.text).toContain(VOICE_PROMPTS.openNow('小明'));
      expect(menu[1]?.text).toContain('按1');
      const verbs = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call(world.a.contact.phone, { Digits: '1' }), {
          app: appWithSip,
        }),
      );
      expect(verbs).toEqual([
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.noPin(false) },
        { name: 'Hangup', attributes: {}, text: '' },
      ]);
      // Without a LiveKit SIP host it says plainly that joining by phone is not available.
      const without = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call(world.a.contact.phone, { Digits: '1' })),
      );
      expect(without).toEqual([
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.joinUnavailable },
        { name: 'Hangup', attributes: {}, text: '' },
      ]);
      await cleanUp(open);
    });

    it('1 with no call open now says so and goes back to the menu', async () => {
      const verbs = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call(world.a.contact.phone, { Digits: '1' }), {
          app: appWithSip,
        }),
      );
      expect(verbs).toEqual([
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.nothingToJoin },
        { name: 'Redirect', attributes: { method: 'POST' }, text: `${PUBLIC_URL}/webhooks/twilio/voice` },
      ]);
    });

    it('2 cancels the next call and says so, once per phone call', async () => {
      const next = await bookingFor('a', new Date('2026-09-09T04:15:00Z'), 'confirmed');
      const later = await bookingFor('a', new Date('2026-09-10T04:15:00Z'), 'proposed');
      const params = call(world.a.contact.phone, { Digits: '2' });
      const verbs = await twimlOf(await postTwilio('/webhooks/twilio/voice/menu', params));
      const said = [
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.cancelled('小明', '9月9日星期三 12:15') },
        { name: 'Hangup', attributes: {}, text: '' },
      ];
      expect(verbs).toEqual(said);
      const cancelled = await getBooking(world.database.db, world.a.home.id, next.id);
      expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
      expect(cancelled?.cancelReason).toBeTruthy();
      const trail = await listAuditForSubject(world.database.db, 'booking', next.id);
      expect(trail[0]).toMatchObject({ action: 'booking.cancel', actorKind: 'family', actorId: world.a.contact.id });
      // Twilio retrying the same request: the same answer, and the later call is not touched.
      expect(await twimlOf(await postTwilio('/webhooks/twilio/voice/menu', params))).toEqual(said);
      expect(await getBooking(world.database.db, world.a.home.id, later.id)).toMatchObject({
        status: 'proposed',
        version: 1,
      });
      await cleanUp(next, later);
    });

    it('2 with nothing to cancel says so and goes back to the menu', async () => {
      const verbs = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call(world.a.contact.phone, { Digits: '2' })),
      );
      expect(verbs).toEqual([
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.nothingToCancel },
        { name: 'Redirect', attributes: { method: 'POST' }, text: `${PUBLIC_URL}/webhooks/twilio/voice` },
      ]);
    });

    it('3 repeats the menu; any other key says it was wrong and repeats it', async () => {
      const repeat = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call(world.a.contact.phone, { Digits: '3' })),
      );
      expect(repeat).toEqual([
        { name: 'Redirect', attributes: { method: 'POST' }, text: `${PUBLIC_URL}/webhooks/twilio/voice` },
      ]);
      const wrong = await twimlOf(
        await postTwilio('/webhooks/twilio/voice/menu', call(world.a.contact.phone, { Digits: '9' })),
      );
      expect(wrong).toEqual([
        { name: 'Say', attributes: { language: 'zh-CN' }, text: VOICE_PROMPTS.wrongKey },
        { name: 'Redirect', attributes: { method: 'POST' }, text: `${PUBLIC_URL}/webhooks/twilio/voice` },
      ]);
    });

    it('refuses a tampered key press or caller with 403 and cancels nothing', async () => {
      const next = await bookingFor('a', new Date('2026-09-09T04:15:00Z'), 'confirmed');
      const params = call(world.a.contact.phone, { Digits: '3' });
      const tampered = await postTwilio('/webhooks/twilio/voice/menu', params, { tamper: { Digits: '2' } });
      expect(tampered.status).toBe(403);
      const spoofed = await postTwilio('/webhooks/twilio/voice', call('+15550000000'), {
        tamper: { From: world.a.contact.phone },
      });
      expect(spoofed.status).toBe(403);
      expect((await postTwilio('/webhooks/twilio/voice', params, { signature: null })).status).toBe(403);
      expect(await getBooking(world.database.db, world.a.home.id, next.id)).toMatchObject({ status: 'confirmed' });
      expect(
        (await postTwilio('/webhooks/twilio/voice', call(world.a.contact.phone), { app: appWithoutTwilio })).status,
      ).toBe(404);
      await cleanUp(next);
    });
  });
});

describe('status callbacks from the (fake) Twilio API to the served app', () => {
  it('a message sent with the Twilio sender ends delivered through signed callbacks', async () => {
    const fake = await startFakeTwilio();
    let server: ServerType | undefined;
    const world = await createApiWorld('pglite', { twilioAuthToken: fake.authToken });
    try {
      const app = createApp({ ...world.services });
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      world.services.settings.publicUrl = publicUrl;
      const sms = new TwilioSmsSender({
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: HOME_NUMBER,
        apiBaseUrl: fake.url,
      });
      const { message } = await insertOutgoingSms(world.database.db, {
        homeId: world.a.home.id,
        toPhone: world.a.contact.phone,
        body: '小明明天12:15和您通话。【测试之家A】',
        status: 'sending',
        now: world.services.now(),
      });
      const sent = await sms.send({
        to: message.toPhone,
        body: message.body,
        idempotencyKey: message.id,
        statusCallbackUrl: `${publicUrl}/webhooks/twilio/status`,
      });
      if (!sent.ok) throw new Error(sent.failure.message);
      const callbacks = await fake.sendStatusCallbacks(sent.providerId, { final: 'delivered' });
      expect(callbacks.map((cb) => [cb.params.MessageStatus, cb.responseStatus])).toEqual([
        ['queued', 204],
        ['sent', 204],
        ['delivered', 204],
      ]);
      // The callbacks found the row through the key on their URL, before we recorded the SID ourselves.
      expect(await getSmsMessage(world.database.db, message.id)).toMatchObject({
        providerId: sent.providerId,
        provider: 'twilio',
        status: 'delivered',
      });
    } finally {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await world.close();
      await fake.close();
    }
  });
});
