import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHousehold,
  eraseChild,
  getVoicePinStatus,
  insertBookingSteps,
  listAuditForSubject,
  listBookingSteps,
  schema,
  updateContact,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { eq, inArray } from 'drizzle-orm';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';
import { VOICE_PIN_LIMITS } from '../../apps/server/src/auth/voice-pin.ts';
import { VOICE_PROMPTS } from '../../apps/server/src/webhooks/voice-prompts.ts';

const AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
const PUBLIC_URL = 'https://affection.example.org';
const HOME_NUMBER = '+15005550006';
const SIP_HOST = 'abc123.sip.livekit.cloud';
/** Monday 7 September 2026, 12:00 in Shanghai. */
const NOW = new Date('2026-09-07T04:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
/** PINs unlikely to appear in a log line by chance. */
const PIN = '739164';
const OTHER_PIN = '482957';
const WRONG_PIN = '105326';

let sidSeq = 0;
const newCallSid = () => `CA${(++sidSeq).toString(16).padStart(32, '0')}`;

/** The verbs of a TwiML answer, in order, as `Name` or `Parent>Name` with attributes and text. */
function verbsOf(xml: string): { name: string; attributes: Record<string, string>; text: string }[] {
  const verbs: { name: string; attributes: Record<string, string>; text: string }[] = [];
  const stack: string[] = [];
  const decodeXml = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  for (const match of xml.matchAll(/<(\/?)([A-Za-z]+)([^>]*?)(\/?)>([^<]*)/g)) {
    const [, closing, name = '', rawAttributes = '', selfClosing, text = ''] = match;
    if (closing) {
      stack.pop();
      continue;
    }
    if (name === 'Response') {
      stack.push(name);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key = '', value = ''] of rawAttributes.matchAll(/(\w+)="([^"]*)"/g))
      attributes[key] = decodeXml(value);
    const parent = stack.length > 1 ? `${stack.at(-1)}>` : '';
    verbs.push({ name: `${parent}${name}`, attributes, text: decodeXml(text) });
    if (!selfClosing) stack.push(name);
  }
  return verbs;
}

const isBridged = (xml: string) => /<Dial\b/.test(xml) || /<Sip\b/.test(xml);

describe.each<TestDatabaseKind>(['pglite', 'postgres'])(
  'the voice menu asks for a PIN before a child’s call (%s)',
  (kind) => {
    let world: ApiWorld;
    let open: BookingRecord;
    /** Every body the tests got back from the API, to search for PINs and hashes. */
    const answers: string[] = [];

    beforeAll(async () => {
      world = await createApiWorld(kind, {
        twilioAuthToken: AUTH_TOKEN,
        publicUrl: PUBLIC_URL,
        livekitSipHost: SIP_HOST,
      });
      world.setNow(NOW);
      // Home A's child has a call open now, with Home A's contact, for two hours (long enough to outlast a lock).
      const result = await createBooking(world.database.db, {
        homeId: world.a.home.id,
        kioskId: world.a.kiosk.id,
        householdId: world.a.household.id,
        contactId: world.a.contact.id,
        childIds: [world.a.child.id],
        start: minutes(-5),
        end: minutes(115),
        status: 'confirmed',
        source: 'teacher',
        now: minutes(-60),
      });
      if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
      open = result.booking;
    });
    afterAll(async () => {
      await world?.close();
    });
    beforeEach(async () => {
      world.setNow(NOW);
      await world.database.db.delete(schema.contactVoicePins);
    });

    /** Posts a form signed as Twilio signs it (the SDK's own helper). */
    async function postTwilio(
      path: string,
      params: Record<string, string>,
      options: { signedPath?: string; app?: ReturnType<typeof createApp> } = {},
    ): Promise<Response> {
      const signature = twilio.getExpectedTwilioSignature(
        AUTH_TOKEN,
        `${PUBLIC_URL}${options.signedPath ?? path}`,
        params,
      );
      return (options.app ?? world.app).request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
    }

    /** One phone call from `from`: key 1 on the menu, then PIN entries. */
    function phoneCall(from: string, app?: ReturnType<typeof createApp>) {
      const callSid = newCallSid();
      const form = (extra: Record<string, string>) => ({
        CallSid: callSid,
        AccountSid: `AC${'0'.repeat(32)}`,
        From: from,
        To: HOME_NUMBER,
        CallStatus: 'in-progress',
        Direction: 'inbound',
        ...extra,
      });
      const twiml = async (res: Response) => {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
        const text = await res.text();
        answers.push(text);
        return text;
      };
      return {
        pressOne: async () => twiml(await postTwilio('/webhooks/twilio/voice/menu', form({ Digits: '1' }), { app })),
        enterPin: async (digits: string, attempt: number) =>
          twiml(await postTwilio(`/webhooks/twilio/voice/pin?try=${attempt}`, form({ Digits: digits }), { app })),
      };
    }

    async function setPinAs(who: 'teacherA' | 'adminA' | 'teacherB', contactId: string, pin: unknown) {
      const res = await world.request(`/api/contacts/${contactId}/pin`, { method: 'PUT', as: who, json: { pin } });
      answers.push(await res.clone().text());
      return res;
    }

    const pinPrompt = (attempt: number) => ({
      name: 'Gather',
      attributes: {
        numDigits: '6',
        finishOnKey: '#',
        action: `${PUBLIC_URL}/webhooks/twilio/voice/pin?try=${attempt}`,
        method: 'POST',
        timeout: '8',
      },
      text: '',
    });
    const said = (text: string) => ({ name: 'Say', attributes: { language: 'zh-CN' }, text });
    const hangup = { name: 'Hangup', attributes: {}, text: '' };

    it('does not bridge a caller whose contact has no PIN, even with the right caller ID: it says how to set one', async () => {
      const call = phoneCall(world.a.contact.phone);
      const menu = await call.pressOne();
      expect(isBridged(menu)).toBe(false);
      expect(verbsOf(menu)).toEqual([said(VOICE_PROMPTS.noPin(false)), hangup]);
      // Posting digits straight to the PIN step (skipping the menu) bridges nothing either.
      const straight = await call.enterPin('1234', 1);
      expect(isBridged(straight)).toBe(false);
      expect(verbsOf(straight)).toEqual([said(VOICE_PROMPTS.noPin(false)), hangup]);
    });

    it('bridges into the call open now after the right PIN, and records the join', async () => {
      expect((await setPinAs('teacherA', world.a.contact.id, PIN)).status).toBe(200);
      const call = phoneCall(world.a.contact.phone);
      const menu = await call.pressOne();
      expect(isBridged(menu)).toBe(false);
      expect(verbsOf(menu)).toEqual([
        pinPrompt(1),
        { ...said(VOICE_PROMPTS.askPin), name: 'Gather>Say' },
        said(VOICE_PROMPTS.noInput),
        hangup,
      ]);
      const bridged = await call.enterPin(PIN, 1);
      expect(verbsOf(bridged)).toEqual([
        said(VOICE_PROMPTS.connecting),
        // 115 minutes of the call are left.
        { name: 'Dial', attributes: { timeLimit: String(115 * 60), answerOnBridge: 'true' }, text: '' },
        { name: 'Dial>Sip', attributes: {}, text: `sip:${open.id}@${SIP_HOST}` },
        hangup,
      ]);
      const audit = await listAuditForSubject(world.database.db, 'booking', open.id);
      expect(audit).toContainEqual(
        expect.objectContaining({ action: 'call.join', actorKind: 'family', actorId: world.a.contact.id }),
      );
    });

    it('refuses a wrong PIN, allows three tries per phone call, then says goodbye without bridging', async () => {
      await setPinAs('teacherA', world.a.contact.id, PIN);
      const call = phoneCall(world.a.contact.phone);
      await call.pressOne();
      const first = await call.enterPin(WRONG_PIN, 1);
      expect(isBridged(first)).toBe(false);
      expect(verbsOf(first).slice(0, 3)).toEqual([
        said(VOICE_PROMPTS.wrongPin),
        pinPrompt(2),
        { ...said(VOICE_PROMPTS.askPinAgain), name: 'Gather>Say' },
      ]);
      // Nothing typed (only '#') is wrong too.
      const second = await call.enterPin('', 2);
      expect(verbsOf(second)[1]).toEqual(pinPrompt(3));
      const third = await call.enterPin(WRONG_PIN, 3);
      expect(isBridged(third)).toBe(false);
      expect(verbsOf(third)).toEqual([said(VOICE_PROMPTS.tooManyTries(false)), hangup]);
      // Two PIN tries were counted against the contact (the empty entry could not be a PIN).
      const row = await world.database.db
        .select()
        .from(schema.contactVoicePins)
        .where(eq(schema.contactVoicePins.contactId, world.a.contact.id));
      expect(row[0]?.failedAttempts).toBe(2);
    });

    it('locks the PIN after five wrong tries across calls, even for the right PIN, until the cooldown has passed', async () => {
      await setPinAs('teacherA', world.a.contact.id, PIN);
      const wrongTries = VOICE_PIN_LIMITS.maxAttempts;
      let answer = '';
      for (let tried = 0; tried < wrongTries; tried += 1) {
        // A new phone call for every try: hanging up and calling again gains nothing.
        const call = phoneCall(world.a.contact.phone);
        await call.pressOne();
        answer = await call.enterPin(WRONG_PIN, 1);
        expect(isBridged(answer)).toBe(false);
      }
      expect(verbsOf(answer)).toEqual([said(VOICE_PROMPTS.tooManyTries(false)), hangup]);
      const locked = VOICE_PROMPTS.pinLocked(60, false);
      const call = phoneCall(world.a.contact.phone);
      expect(verbsOf(await call.pressOne())).toEqual([said(locked), hangup]);
      const right = await call.enterPin(PIN, 1);
      expect(isBridged(right)).toBe(false);
      expect(verbsOf(right)).toEqual([said(locked), hangup]);
      expect(world.logs).toContainEqual(
        expect.objectContaining({ event: 'voice-pin.locked', contactId: world.a.contact.id }),
      );
      // Staff see the lock on the contact card.
      const status = await world.request(`/api/contacts/${world.a.contact.id}/pin`, { as: 'teacherA' });
      expect(await status.json()).toMatchObject({ isSet: true, lockedUntil: minutes(60).toISOString() });
      // 59 minutes later still locked; after the hour the parent gets in.
      world.setNow(minutes(59));
      expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(PIN, 1))).toBe(false);
      world.setNow(minutes(61));
      const later = phoneCall(world.a.contact.phone);
      expect(verbsOf(await later.pressOne())[0]).toEqual(pinPrompt(1));
      expect(isBridged(await later.enterPin(PIN, 1))).toBe(true);
    });

    it('rings the number on file back instead of bridging, once per call, when the call is planned', async () => {
      const db = world.database.db;
      const changed: string[] = [];
      const app = createApp({
        ...world.services,
        onBookingChanged: async (bookingId) => {
          changed.push(bookingId);
        },
      });
      // The call's lifecycle is planned (one of its steps stands for the plan).
      await insertBookingSteps(
        db,
        [{ bookingId: open.id, kind: 'close-room', bookingVersion: open.version, dueAt: open.end }],
        NOW,
      );
      const ringBacks = async () => (await listBookingSteps(db, open.id)).filter((step) => step.kind === 'ring-back');
      try {
        // No PIN: the real number is rung, 20 seconds later (time to hang up), whoever used its caller ID.
        const first = await phoneCall(world.a.contact.phone, app).pressOne();
        expect(isBridged(first)).toBe(false);
        expect(verbsOf(first)).toEqual([said(VOICE_PROMPTS.noPin(true)), hangup]);
        expect(await ringBacks()).toEqual([
          expect.objectContaining({
            bookingVersion: open.version,
            state: 'pending',
            dueAt: new Date(NOW.getTime() + 20_000),
          }),
        ]);
        expect(changed).toEqual([open.id]);
        expect(await listAuditForSubject(db, 'booking', open.id)).toContainEqual(
          expect.objectContaining({
            action: 'call.ring-back',
            actorKind: 'system',
            details: { via: 'voice', contactId: world.a.contact.id },
          }),
        );
        // Calling again while it is on its way asks for nothing more.
        expect(verbsOf(await phoneCall(world.a.contact.phone, app).pressOne())[0]).toEqual(
          said(VOICE_PROMPTS.noPin(true)),
        );
        expect(await ringBacks()).toHaveLength(1);
        expect(changed).toEqual([open.id]);
        // Once it has rung, no second ring for this call: the caller hears the other ways to join.
        await db.update(schema.bookingSteps).set({ state: 'done' }).where(eq(schema.bookingSteps.kind, 'ring-back'));
        expect(verbsOf(await phoneCall(world.a.contact.phone, app).pressOne())[0]).toEqual(
          said(VOICE_PROMPTS.noPin(false)),
        );
        // After three wrong PINs the ring-back is offered too.
        await db.delete(schema.bookingSteps).where(eq(schema.bookingSteps.kind, 'ring-back'));
        await setPinAs('teacherA', world.a.contact.id, PIN);
        const call = phoneCall(world.a.contact.phone, app);
        await call.enterPin(WRONG_PIN, 1);
        await call.enterPin(WRONG_PIN, 2);
        expect(verbsOf(await call.enterPin(WRONG_PIN, 3))).toEqual([said(VOICE_PROMPTS.tooManyTries(true)), hangup]);
        expect(await ringBacks()).toHaveLength(1);
        // A contact who takes no phone calls (video only, no phone fallback) is not rung.
        await db.delete(schema.bookingSteps).where(eq(schema.bookingSteps.kind, 'ring-back'));
        await updateContact(db, world.a.home.id, world.a.contact.id, { phoneFallback: false }, NOW);
        expect(verbsOf(await phoneCall(world.a.contact.phone, app).enterPin(WRONG_PIN, 3))).toEqual([
          said(VOICE_PROMPTS.tooManyTries(false)),
          hangup,
        ]);
        expect(await ringBacks()).toEqual([]);
      } finally {
        await updateContact(db, world.a.home.id, world.a.contact.id, { phoneFallback: true }, NOW);
        await db.delete(schema.bookingSteps).where(eq(schema.bookingSteps.bookingId, open.id));
      }
    });

    it('gives calls made at the same time no more than five tries between them', async () => {
      await setPinAs('teacherA', world.a.contact.id, PIN);
      const answersNow = await Promise.all(
        Array.from({ length: 12 }, () => phoneCall(world.a.contact.phone).enterPin(WRONG_PIN, 1)),
      );
      expect(answersNow.filter(isBridged)).toEqual([]);
      const lockedAnswers = answersNow.filter((xml) => xml.includes(VOICE_PROMPTS.pinLocked(60, false)));
      expect(lockedAnswers).toHaveLength(12 - VOICE_PIN_LIMITS.maxAttempts);
      expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(PIN, 1))).toBe(false);
    });

    it('refuses a PIN step whose try number was changed after signing, and an unknown caller', async () => {
      await setPinAs('teacherA', world.a.contact.id, PIN);
      const form = { CallSid: newCallSid(), From: world.a.contact.phone, To: HOME_NUMBER, Digits: PIN };
      const tampered = await postTwilio('/webhooks/twilio/voice/pin?try=1', form, {
        signedPath: '/webhooks/twilio/voice/pin?try=3',
      });
      expect(tampered.status).toBe(403);
      // A number that is no contact hears nothing about anyone, PIN or not.
      const stranger = await postTwilio('/webhooks/twilio/voice/pin?try=1', { ...form, From: '+8613700000009' });
      const text = await stranger.text();
      expect(isBridged(text)).toBe(false);
      expect(verbsOf(text)).toEqual([said(VOICE_PROMPTS.unknownCaller), hangup]);
      // Home B's contact knows Home A's PIN: it opens nothing (B has no call, and B's contact has no PIN).
      const other = await phoneCall(world.b.contact.phone).enterPin(PIN, 1);
      expect(isBridged(other)).toBe(false);
    });

    describe('setting and clearing the PIN', () => {
      it('lets staff set, read and clear a contact’s PIN, answering with its status only', async () => {
        const set = await setPinAs('adminA', world.a.contact.id, PIN);
        expect(set.status).toBe(200);
        expect(await set.json()).toEqual({
          contactId: world.a.contact.id,
          isSet: true,
          setBy: 'staff',
          setAt: NOW.toISOString(),
          lockedUntil: null,
        });
        const read = await world.request(`/api/contacts/${world.a.contact.id}/pin`, { as: 'teacherA' });
        expect(await read.json()).toMatchObject({ isSet: true, setBy: 'staff' });
        // A new PIN replaces the old one: the old one no longer opens the call.
        expect((await setPinAs('teacherA', world.a.contact.id, OTHER_PIN)).status).toBe(200);
        expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(PIN, 1))).toBe(false);
        expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(OTHER_PIN, 1))).toBe(true);
        const cleared = await world.request(`/api/contacts/${world.a.contact.id}/pin`, {
          method: 'DELETE',
          as: 'teacherA',
        });
        expect(cleared.status).toBe(200);
        expect(await cleared.json()).toEqual({
          contactId: world.a.contact.id,
          isSet: false,
          setBy: null,
          setAt: null,
          lockedUntil: null,
        });
        expect(await getVoicePinStatus(world.database.db, world.a.home.id, world.a.contact.id)).toBeNull();
        expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(OTHER_PIN, 1))).toBe(false);
        const audit = await listAuditForSubject(world.database.db, 'contact', world.a.contact.id);
        expect(audit.map((event) => event.action)).toEqual(
          expect.arrayContaining(['contact.pin.set', 'contact.pin.clear']),
        );
      });

      it.each([
        ['123', 'validation.too_short'],
        ['1234567', 'validation.too_long'],
        ['12a4', 'validation.invalid_format'],
        ['12\u00003', 'validation.invalid_format'],
        ['1234\n', 'validation.invalid_format'],
        ['١٢٣٤', 'validation.invalid_format'],
        [' 1234', 'validation.invalid_format'],
        [1234, 'validation.invalid_type'],
        [null, 'validation.invalid_type'],
      ])('refuses the PIN %j with 400 and a message on the field', async (pin, key) => {
        for (const res of [
          await setPinAs('teacherA', world.a.contact.id, pin),
          await world.request('/api/family/pin', { method: 'PUT', as: 'familyA', json: { pin } }),
        ]) {
          expect(res.status).toBe(400);
          const body = (await res.json()) as {
            error: {
              code: string;
              details: { fields: { path: string; key: string; message: Record<string, string> }[] };
            };
          };
          expect(body.error.code).toBe('validation-failed');
          expect(body.error.details.fields).toContainEqual(expect.objectContaining({ path: 'pin', key }));
          expect(body.error.details.fields[0]?.message['zh-CN']).toBeTruthy();
        }
        expect(await getVoicePinStatus(world.database.db, world.a.home.id, world.a.contact.id)).toBeNull();
      });

      it('refuses other fields, and a body that is not JSON', async () => {
        const extra = await world.request('/api/family/pin', {
          method: 'PUT',
          as: 'familyA',
          json: { pin: PIN, contactId: world.b.contact.id },
        });
        expect(extra.status).toBe(400);
        const broken = await world.request('/api/family/pin', {
          method: 'PUT',
          as: 'familyA',
          headers: { 'content-type': 'application/json' },
        });
        expect(broken.status).toBe(400);
        expect(await getVoicePinStatus(world.database.db, world.b.home.id, world.b.contact.id)).toBeNull();
      });

      it("answers 404 for another Home's contact, and changes nothing there", async () => {
        await setPinAs('teacherA', world.a.contact.id, PIN);
        expect((await setPinAs('teacherB', world.a.contact.id, OTHER_PIN)).status).toBe(404);
        const clear = await world.request(`/api/contacts/${world.a.contact.id}/pin`, {
          method: 'DELETE',
          as: 'teacherB',
        });
        expect(clear.status).toBe(404);
        const read = await world.request(`/api/contacts/${world.a.contact.id}/pin`, { as: 'teacherB' });
        expect(read.status).toBe(404);
        expect(await getVoicePinStatus(world.database.db, world.a.home.id, world.a.contact.id)).toMatchObject({
          setByKind: 'staff',
        });
        expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(PIN, 1))).toBe(true);
        expect((await setPinAs('teacherA', 'cnt_0000000000000000', PIN)).status).toBe(404);
      });

      it('lets a signed-in parent set only their own PIN', async () => {
        // A second contact in the same household, approved: the parent's phone cannot touch its PIN.
        const db = world.database.db;
        const grandfather = await createContact(db, world.a.home.id, {
          householdId: world.a.household.id,
          name: '王建国',
          relation: 'grandfather',
          phone: '+8613811112222',
        });
        await updateContact(
          db,
          world.a.home.id,
          grandfather.id,
          { approvedBy: world.a.admin.id, approvedAt: NOW },
          NOW,
        );
        const res = await world.request('/api/family/pin', { method: 'PUT', as: 'familyA', json: { pin: PIN } });
        answers.push(await res.clone().text());
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ contactId: world.a.contact.id, isSet: true, setBy: 'family' });
        expect(await getVoicePinStatus(db, world.a.home.id, grandfather.id)).toBeNull();
        expect(await getVoicePinStatus(db, world.b.home.id, world.b.contact.id)).toBeNull();
        // The family page has no route to another contact's PIN.
        const staffRoute = await world.request(`/api/contacts/${grandfather.id}/pin`, {
          method: 'PUT',
          as: 'familyA',
          json: { pin: OTHER_PIN },
        });
        expect(staffRoute.status).toBe(403);
        expect((await world.request('/api/family/pin', { method: 'PUT', json: { pin: PIN } })).status).toBe(401);
        expect(
          (await world.request('/api/family/pin', { method: 'PUT', as: 'teacherA', json: { pin: PIN } })).status,
        ).toBe(403);
        expect(isBridged(await phoneCall(world.a.contact.phone).enterPin(PIN, 1))).toBe(true);
        await db.delete(schema.contacts).where(eq(schema.contacts.id, grandfather.id));
      });
    });

    it("forgets the PIN when a child's record is erased, for deleted and for blanked contacts", async () => {
      const db = world.database.db;
      const homeId = world.a.home.id;
      const household = await createHousehold(db, homeId, { name: '刘家' });
      const child = await createChild(db, homeId, { householdId: household.id, familyName: '刘', givenName: '小强' });
      const contactWith = async (phone: string) => {
        const contact = await createContact(db, homeId, {
          householdId: household.id,
          name: '刘芳',
          relation: 'mother',
          phone,
        });
        await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: NOW }, NOW);
        expect((await setPinAs('teacherA', contact.id, PIN)).status).toBe(200);
        return contact;
      };
      const booked = await contactWith('+8613833334444');
      const unbooked = await contactWith('+8613855556666');
      // A booking names the first contact, so the erasure keeps its row (blanked).
      const booking = await createBooking(db, {
        homeId,
        kioskId: world.a.kiosk.id,
        householdId: household.id,
        contactId: booked.id,
        childIds: [child.id],
        start: minutes(24 * 60),
        end: minutes(24 * 60 + 15),
        status: 'confirmed',
        source: 'teacher',
        now: NOW,
      });
      expect(booking.ok).toBe(true);
      const erasure = await eraseChild(db, homeId, child.id, NOW);
      expect(erasure?.blankedContactIds).toEqual([booked.id]);
      const left = await db
        .select()
        .from(schema.contactVoicePins)
        .where(inArray(schema.contactVoicePins.contactId, [booked.id, unbooked.id]));
      expect(left).toEqual([]);
    });

    it('never puts a PIN or its hash in a log line, an API answer, TwiML or the audit', async () => {
      // Runs last: everything above has set, tried, refused and cleared PINs.
      await setPinAs('teacherA', world.a.contact.id, PIN);
      const [row] = await world.database.db
        .select()
        .from(schema.contactVoicePins)
        .where(eq(schema.contactVoicePins.contactId, world.a.contact.id));
      const hash = row?.pinHash ?? '';
      expect(hash).toMatch(/^\$argon2id\$/);
      const logs = JSON.stringify(world.logs);
      const audit = JSON.stringify(await world.database.db.select().from(schema.auditEvents));
      const everything = [logs, audit, ...answers];
      expect(answers.length).toBeGreaterThan(20);
      for (const secret of [PIN, OTHER_PIN, WRONG_PIN, hash, hash.split('$').at(-1) ?? hash]) {
        expect(everything.filter((text) => text.includes(secret))).toEqual([]);
      }
    });
  },
);
