import type { Contact } from '@affection/core';
import {
  createBooking,
  createContact,
  listAuditForSubject,
  listOutgoingSmsOfHome,
  schema,
  updateContact,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth/tokens.ts';
import { settleFamilyCodeDeliveries } from './deliver-family-code.ts';
import { FAMILY_THROTTLE_DEFAULTS } from './family-throttle.ts';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { reason?: string; retryAfterSeconds?: number; triesLeft?: number };
  };
}

interface NewLink {
  id: string;
  contactId: string;
  status: string;
  url: string;
  expiresAt: string;
  createdBy: string | null;
}

interface FamilyMe {
  contact: { id: string; name: string; relation: string; timeZone: string; channel: string };
  home: { name: string };
  childNames: string[];
  nextCall: null | {
    bookingId: string;
    start: string;
    end: string;
    childNames: string[];
    opensAt: string;
    isOpen: boolean;
    startLocal: {
      timeZone: string;
      zoneName: string;
      date: string;
      weekday: number;
      time: string;
      endTime: string;
      daysFromToday: number;
      text: string;
    };
  };
  serverTime: string;
}

const MINUTE = 60_000;
const PUBLIC_URL = 'https://affection.example.org';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('family page API (%s)', (kind) => {
  let world: ApiWorld;
  let start: Date;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind, { publicUrl: PUBLIC_URL });
    start = world.services.now();
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    await world.services.redis.flushdb();
  });
  afterEach(() => {
    world.setNow(start);
  });

  /** A request from a given client address (the socket's, as Node would give it). */
  function call(
    path: string,
    init: { method?: string; json?: unknown; token?: string; address?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = `Family ${init.token}`;
    return Promise.resolve(
      world.app.request(
        path,
        {
          method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
          headers,
          body: init.json === undefined ? undefined : JSON.stringify(init.json),
        },
        { incoming: { socket: { remoteAddress: init.address ?? '198.51.100.20' } } },
      ),
    );
  }

  /** A mainland mobile number no one in the world has. */
  function newPhone(): string {
    serial += 1;
    return `+86139${String(40_000_000 + serial * 7919 + (kind === 'pglite' ? 0 : 5_000_000)).padStart(8, '0')}`;
  }

  /** A new approved contact of Home A's household. */
  async function addContact(fields: Partial<Pick<Contact, 'timeZone' | 'language' | 'channel' | 'name'>> = {}) {
    const db = world.database.db;
    const contact = await createContact(db, world.a.home.id, {
      householdId: world.a.household.id,
      name: fields.name ?? '王建国',
      relation: 'father',
      phone: newPhone(),
      ...(fields.timeZone ? { timeZone: fields.timeZone } : {}),
      ...(fields.language ? { language: fields.language } : {}),
      ...(fields.channel ? { channel: fields.channel } : {}),
    });
    const now = world.services.now();
    return (await updateContact(
      db,
      world.a.home.id,
      contact.id,
      { approvedBy: world.a.admin.id, approvedAt: now },
      now,
    ))!;
  }

  async function newLink(contactId: string, json: unknown = {}): Promise<NewLink> {
    const res = await world.request(`/api/contacts/${contactId}/enrolment-link`, { as: 'teacherA', json });
    expect(res.status).toBe(201);
    return (await res.json()) as NewLink;
  }

  function tokenOf(link: NewLink): string {
    return link.url.slice(`${PUBLIC_URL}/family/enrol/`.length);
  }

  async function enrol(link: NewLink, address?: string): Promise<string> {
    const res = await call('/api/family/enrol', { json: { token: tokenOf(link) }, address });
    expect(res.status).toBe(200);
    return ((await res.json()) as { deviceToken: string }).deviceToken;
  }

  /** The last code texted to a number through the outbox, or undefined. */
  async function lastCodeSentTo(phone: string): Promise<string | undefined> {
    await settleFamilyCodeDeliveries(world.services);
    const { items } = await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 200, offset: 0 });
    const body = items.find((sms) => sms.toPhone === phone)?.body;
    return body ? /验证码(\d{6})/.exec(body)?.[1] : undefined;
  }

  async function smsCountTo(phone: string): Promise<number> {
    await settleFamilyCodeDeliveries(world.services);
    const rows = await world.database.db.select().from(schema.smsMessages).where(eq(schema.smsMessages.toPhone, phone));
    return rows.length;
  }

  /** A confirmed call of Home A's child with `contactId`, starting `minutesFromNow` after the world's start. */
  async function book(contactId: string, minutesFromNow: number, household = world.a) {
    const begin = new Date(start.getTime() + minutesFromNow * MINUTE);
    const result = await createBooking(world.database.db, {
      homeId: household.home.id,
      kioskId: household.kiosk.id,
      householdId: household.household.id,
      contactId,
      childIds: [household.child.id],
      start: begin,
      end: new Date(begin.getTime() + 15 * MINUTE),
      status: 'confirmed',
      source: 'teacher',
      now: start,
    });
    if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
    return result.booking;
  }

  describe('enrolment links (staff)', () => {
    it('gives an approved contact a link for the QR code, valid 180 days, keeping only its hash', async () => {
      const contact = await addContact();
      const link = await newLink(contact.id);
      expect(link).toMatchObject({ contactId: contact.id, status: 'active', createdBy: world.a.teacher.id });
      expect(link.url).toMatch(new RegExp(`^${PUBLIC_URL}/family/enrol/[A-Za-z0-9_-]{43}$`));
      expect(new Date(link.expiresAt).getTime()).toBe(start.getTime() + 180 * 86_400_000);

      const rows = await world.database.db
        .select()
        .from(schema.familyEnrolments)
        .where(eq(schema.familyEnrolments.id, link.id));
      expect(rows[0]?.tokenHash).toBe(hashToken(tokenOf(link)));
      expect(JSON.stringify(rows)).not.toContain(tokenOf(link));

      const listed = await world.request(`/api/contacts/${contact.id}/enrolment-links`, { as: 'teacherA' });
      expect(listed.status).toBe(200);
      const { items } = (await listed.json()) as { items: Record<string, unknown>[] };
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ id: link.id, status: 'active' });
      expect(JSON.stringify(items)).not.toContain(tokenOf(link));

      const audit = await listAuditForSubject(world.database.db, 'contact', contact.id);
      expect(audit.map((e) => e.action)).toContain('family.enrolment-link.create');
      expect(JSON.stringify(audit)).not.toContain(tokenOf(link));
    });

    it('chooses another validity on request and refuses contacts not approved', async () => {
      const contact = await addContact();
      const link = await newLink(contact.id, { validDays: 30 });
      expect(new Date(link.expiresAt).getTime()).toBe(start.getTime() + 30 * 86_400_000);
      const bad = await world.request(`/api/contacts/${contact.id}/enrolment-link`, {
        as: 'teacherA',
        json: { validDays: 0 },
      });
      expect(bad.status).toBe(400);

      const pending = await createContact(world.database.db, world.a.home.id, {
        householdId: world.a.household.id,
        name: '张桂兰',
        relation: 'grandmother',
        phone: newPhone(),
      });
      const refused = await world.request(`/api/contacts/${pending.id}/enrolment-link`, { as: 'teacherA', json: {} });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as ErrorBody).error.details?.reason).toBe('contact-not-approved');
    });

    it("shows and changes only the caller's Home's contacts, links and phones", async () => {
      const contact = await addContact();
      const link = await newLink(contact.id);
      const deviceToken = await enrol(link);
      const devices = (await (
        await world.request(`/api/contacts/${contact.id}/devices`, { as: 'teacherA' })
      ).json()) as { items: { id: string }[] };
      const deviceId = devices.items[0]!.id;

      for (const [method, path] of [
        ['POST', `/api/contacts/${contact.id}/enrolment-link`],
        ['GET', `/api/contacts/${contact.id}/enrolment-links`],
        ['GET', `/api/contacts/${contact.id}/devices`],
        ['POST', `/api/family-enrolments/${link.id}/revoke`],
        ['POST', `/api/family-devices/${deviceId}/revoke`],
      ] as const) {
        const res = await world.request(path, { method, as: 'teacherB', ...(method === 'POST' ? { json: {} } : {}) });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      for (const who of ['anonymous', 'familyA', 'kioskA'] as const) {
        const res = await world.request(`/api/contacts/${contact.id}/devices`, { as: who });
        expect(res.status).toBe(who === 'anonymous' ? 401 : 403);
      }
      // Nothing of Home A changed.
      expect((await call('/api/family/me', { token: deviceToken })).status).toBe(200);
      expect((await call('/api/family/enrol', { json: { token: tokenOf(link) } })).status).toBe(200);
    });
  });

  describe('signing in with the QR link', () => {
    it('enrols several phones of the contact with one link; each sees its own page', async () => {
      const contact = await addContact({ name: '王建国' });
      const link = await newLink(contact.id);
      const first = await enrol(link);
      const second = await enrol(link);
      expect(first).not.toBe(second);
      for (const token of [first, second]) {
        const me = await call('/api/family/me', { token });
        expect(me.status).toBe(200);
        const body = (await me.json()) as FamilyMe;
        expect(body.contact).toMatchObject({ id: contact.id, name: '王建国', relation: 'father', channel: 'video' });
        expect(body.childNames).toEqual([world.a.child.givenName]);
      }
      const res = await world.request(`/api/contacts/${contact.id}/devices`, { as: 'teacherA' });
      const { items } = (await res.json()) as { items: { via: string; status: string }[] };
      expect(items).toHaveLength(2);
      expect(items.every((d) => d.via === 'enrolment' && d.status === 'active')).toBe(true);

      const rows = await world.database.db
        .select()
        .from(schema.familyDevices)
        .where(eq(schema.familyDevices.contactId, contact.id));
      expect(rows.map((r) => r.tokenHash).sort()).toEqual([hashToken(first), hashToken(second)].sort());
      expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(180 * 86_400_000);
    });

    it('refuses an unknown, revoked or expired link, or a contact no longer approved, with a reason', async () => {
      const contact = await addContact();
      const expiring = await newLink(contact.id, { validDays: 1 });
      const revoked = await newLink(contact.id);
      const revoke = await world.request(`/api/family-enrolments/${revoked.id}/revoke`, { as: 'teacherA', json: {} });
      expect(revoke.status).toBe(200);
      expect(await revoke.json()).toMatchObject({ id: revoked.id, status: 'revoked' });

      const reasonOf = async (token: string) => {
        const res = await call('/api/family/enrol', { json: { token } });
        return [res.status, ((await res.json()) as ErrorBody).error.details?.reason];
      };
      expect(await reasonOf(tokenOf(revoked))).toEqual([401, 'link-revoked']);
      expect(await reasonOf('x'.repeat(43))).toEqual([401, 'link-invalid']);
      expect((await call('/api/family/enrol', { json: { token: 'short' } })).status).toBe(400);

      world.setNow(new Date(start.getTime() + 86_400_000 + 1000));
      expect(await reasonOf(tokenOf(expiring))).toEqual([401, 'link-expired']);
      world.setNow(start);

      const working = await newLink(contact.id);
      await updateContact(world.database.db, world.a.home.id, contact.id, { revokedAt: start }, start);
      expect(await reasonOf(tokenOf(working))).toEqual([401, 'contact-not-approved']);
    });

    it('limits bad links per client address (429 with Retry-After); a working link costs nothing', async () => {
      const contact = await addContact();
      const link = await newLink(contact.id);
      const address = '203.0.113.50';
      for (let i = 0; i < 3; i += 1) await enrol(link, address);
      for (let i = 0; i < FAMILY_THROTTLE_DEFAULTS.enrolFailuresPerAddress; i += 1) {
        const res = await call('/api/family/enrol', { json: { token: 'y'.repeat(43) }, address });
        expect(res.status).toBe(401);
      }
      const refused = await call('/api/family/enrol', { json: { token: tokenOf(link) }, address });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(((await refused.json()) as ErrorBody).error.details?.reason).toBe('too-many-links');
      // Another network is not affected.
      await enrol(link, '203.0.113.51');
    });

    it('stops a revoked phone or a signed-out phone at once (401); other phones keep working', async () => {
      const contact = await addContact();
      const link = await newLink(contact.id);
      const lost = await enrol(link);
      const kept = await enrol(link);
      const signingOut = await enrol(link);
      const devices = (await (
        await world.request(`/api/contacts/${contact.id}/devices`, { as: 'teacherA' })
      ).json()) as { items: { id: string }[] };
      const rows = await world.database.db
        .select()
        .from(schema.familyDevices)
        .where(eq(schema.familyDevices.tokenHash, hashToken(lost)));
      const lostId = rows[0]!.id;
      expect(devices.items.map((d) => d.id)).toContain(lostId);
      const revoke = await world.request(`/api/family-devices/${lostId}/revoke`, { as: 'teacherA', json: {} });
      expect(revoke.status).toBe(200);
      expect(await revoke.json()).toMatchObject({ id: lostId, status: 'revoked' });
      expect((await call('/api/family/me', { token: lost })).status).toBe(401);

      expect((await call('/api/family/sign-out', { method: 'POST', token: signingOut })).status).toBe(204);
      expect((await call('/api/family/me', { token: signingOut })).status).toBe(401);
      expect((await call('/api/family/sign-out', { method: 'POST', token: signingOut })).status).toBe(401);

      expect((await call('/api/family/me', { token: kept })).status).toBe(200);
    });

    it('signs out the phones a revoked link signed in, and only those', async () => {
      const contact = await addContact();
      const lostCard = await newLink(contact.id);
      const newCard = await newLink(contact.id);
      const first = await enrol(lostCard);
      const second = await enrol(lostCard, '198.51.100.21');
      const withNewCard = await enrol(newCard);
      await call('/api/family/code', { json: { phone: contact.phone } });
      const code = (await lastCodeSentTo(contact.phone))!;
      const byCode = await call('/api/family/code/verify', { json: { phone: contact.phone, code } });
      const { deviceToken: withCode } = (await byCode.json()) as { deviceToken: string };

      const revoke = await world.request(`/api/family-enrolments/${lostCard.id}/revoke`, { as: 'teacherA', json: {} });
      expect(revoke.status).toBe(200);
      expect(await revoke.json()).toMatchObject({ id: lostCard.id, status: 'revoked', signedOutPhones: 2 });
      expect((await call('/api/family/me', { token: first })).status).toBe(401);
      expect((await call('/api/family/me', { token: second })).status).toBe(401);
      expect((await call('/api/family/me', { token: withNewCard })).status).toBe(200);
      expect((await call('/api/family/me', { token: withCode })).status).toBe(200);
      const devices = (await (
        await world.request(`/api/contacts/${contact.id}/devices`, { as: 'teacherA' })
      ).json()) as { items: { status: string }[] };
      expect(devices.items.filter((d) => d.status === 'revoked')).toHaveLength(2);

      // Again: nothing more to sign out.
      const again = await world.request(`/api/family-enrolments/${lostCard.id}/revoke`, { as: 'teacherA', json: {} });
      expect(await again.json()).toMatchObject({ signedOutPhones: 0 });
      expect((await call('/api/family/me', { token: withNewCard })).status).toBe(200);
    });
  });

  describe('signing in with phone number and SMS code', () => {
    it('texts a 6-digit code without a link to a known number and signs the phone in with it, once', async () => {
      const contact = await addContact();
      const res = await call('/api/family/code', { json: { phone: contact.phone.slice(3) } });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: true, expiresInSeconds: 600, resendAfterSeconds: 60 });
      const code = await lastCodeSentTo(contact.phone);
      expect(code).toMatch(/^\d{6}$/);
      const { items } = await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 200, offset: 0 });
      const sms = items.find((m) => m.toPhone === contact.phone)!;
      expect(sms.body).toBe(`验证码${code}，10分钟内有效。请勿告诉他人。【${world.a.home.name}】`);
      expect(sms.body).not.toMatch(/https?:|www\./);

      const stored = await world.database.db
        .select()
        .from(schema.oneTimeCodes)
        .where(eq(schema.oneTimeCodes.phone, contact.phone));
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(`"${code}"`);
      expect(stored[0]!.expiresAt.getTime() - stored[0]!.createdAt.getTime()).toBe(10 * MINUTE);

      const verified = await call('/api/family/code/verify', { json: { phone: contact.phone, code } });
      expect(verified.status).toBe(200);
      const { deviceToken } = (await verified.json()) as { deviceToken: string };
      const me = (await (await call('/api/family/me', { token: deviceToken })).json()) as FamilyMe;
      expect(me.contact.id).toBe(contact.id);
      const [device] = await world.database.db
        .select()
        .from(schema.familyDevices)
        .where(eq(schema.familyDevices.tokenHash, hashToken(deviceToken)));
      expect(device?.via).toBe('code');

      const again = await call('/api/family/code/verify', { json: { phone: contact.phone, code } });
      expect(again.status).toBe(401);
      expect(((await again.json()) as ErrorBody).error.details?.reason).toBe('code-expired');
    });

    it('answers the same for an unknown number, sending nothing and storing nothing', async () => {
      const known = await addContact();
      const unknown = newPhone();
      const pending = await createContact(world.database.db, world.a.home.id, {
        householdId: world.a.household.id,
        name: '张桂兰',
        relation: 'grandmother',
        phone: newPhone(),
      });
      const answers = [];
      for (const [i, phone] of [known.phone, unknown, pending.phone].entries()) {
        const res = await call('/api/family/code', { json: { phone }, address: `192.0.2.${60 + i}` });
        answers.push({ status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') });
      }
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(await smsCountTo(known.phone)).toBe(1);
      expect(await smsCountTo(unknown)).toBe(0);
      expect(await smsCountTo(pending.phone)).toBe(0);
      const codes = await world.database.db.select().from(schema.oneTimeCodes);
      expect(codes.some((c) => c.phone === unknown || c.phone === pending.phone)).toBe(false);

      // Verifying for an unknown number looks like a wrong code.
      const verify = await call('/api/family/code/verify', { json: { phone: unknown, code: '123456' } });
      expect(verify.status).toBe(401);
      expect(((await verify.json()) as ErrorBody).error.details?.reason).toBe('code-wrong');
    });

    it('refuses a code after 10 minutes', async () => {
      const contact = await addContact();
      await call('/api/family/code', { json: { phone: contact.phone } });
      const code = (await lastCodeSentTo(contact.phone))!;
      world.setNow(new Date(start.getTime() + 10 * MINUTE + 1000));
      const late = await call('/api/family/code/verify', { json: { phone: contact.phone, code } });
      expect(late.status).toBe(401);
      expect(((await late.json()) as ErrorBody).error.details?.reason).toBe('code-expired');
    });

    it('accepts the first code after a resend, and then no other code of that number', async () => {
      const contact = await addContact();
      await call('/api/family/code', { json: { phone: contact.phone } });
      const first = (await lastCodeSentTo(contact.phone))!;
      world.setNow(new Date(start.getTime() + MINUTE));
      await call('/api/family/code', { json: { phone: contact.phone } });
      const second = (await lastCodeSentTo(contact.phone))!;
      expect(await smsCountTo(contact.phone)).toBe(2);
      const ok = await call('/api/family/code/verify', { json: { phone: contact.phone, code: first } });
      expect(ok.status).toBe(200);
      if (second !== first) {
        const stale = await call('/api/family/code/verify', { json: { phone: contact.phone, code: second } });
        expect(stale.status).toBe(401);
        expect(((await stale.json()) as ErrorBody).error.details?.reason).toBe('code-expired');
      }
    });

    it('locks a number for 15 minutes after 5 wrong codes, even for the right code and new codes', async () => {
      const contact = await addContact();
      await call('/api/family/code', { json: { phone: contact.phone }, address: '192.0.2.10' });
      const code = (await lastCodeSentTo(contact.phone))!;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 1; i <= 4; i += 1) {
        const res = await call('/api/family/code/verify', {
          json: { phone: contact.phone, code: wrong },
          address: `192.0.2.${10 + i}`,
        });
        expect(res.status).toBe(401);
        expect(((await res.json()) as ErrorBody).error.details).toMatchObject({
          reason: 'code-wrong',
          triesLeft: 5 - i,
        });
      }
      const fifth = await call('/api/family/code/verify', {
        json: { phone: contact.phone, code: wrong },
        address: '192.0.2.15',
      });
      expect(fifth.status).toBe(429);
      const retryAfter = Number(fifth.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(((await fifth.json()) as ErrorBody).error.details).toMatchObject({
        reason: 'code-locked',
        retryAfterSeconds: retryAfter,
      });

      const right = await call('/api/family/code/verify', {
        json: { phone: contact.phone, code },
        address: '192.0.2.16',
      });
      expect(right.status).toBe(429);
      const resend = await call('/api/family/code', { json: { phone: contact.phone }, address: '192.0.2.17' });
      expect(resend.status).toBe(429);
      expect(((await resend.json()) as ErrorBody).error.details?.reason).toBe('code-locked');
      expect(await smsCountTo(contact.phone)).toBe(1);
      // The code itself is used up by the wrong tries, so it cannot be guessed if the counts were lost.
      const [row] = await world.database.db
        .select()
        .from(schema.oneTimeCodes)
        .where(eq(schema.oneTimeCodes.phone, contact.phone));
      expect(row?.failedAttempts).toBe(5);
      expect(row?.usedAt).not.toBeNull();

      // Another number is not locked.
      const other = await addContact();
      expect((await call('/api/family/code', { json: { phone: other.phone }, address: '192.0.2.18' })).status).toBe(
        202,
      );
    });

    it('limits wrong codes per client address too', async () => {
      const address = '192.0.2.30';
      for (let i = 0; i < FAMILY_THROTTLE_DEFAULTS.triesPerAddress - 1; i += 1) {
        const res = await call('/api/family/code/verify', { json: { phone: newPhone(), code: '123456' }, address });
        expect(res.status).toBe(401);
      }
      const last = await call('/api/family/code/verify', { json: { phone: newPhone(), code: '123456' }, address });
      expect(last.status).toBe(429);
      expect(((await last.json()) as ErrorBody).error.details?.reason).toBe('too-many-tries');
      const next = await call('/api/family/code/verify', { json: { phone: newPhone(), code: '123456' }, address });
      expect(next.status).toBe(429);
    });

    it('sends at most 1 code a minute per number and 5 per 15 minutes per client address, known or not', async () => {
      const contact = await addContact();
      expect((await call('/api/family/code', { json: { phone: contact.phone }, address: '192.0.2.40' })).status).toBe(
        202,
      );
      const second = await call('/api/family/code', { json: { phone: contact.phone }, address: '192.0.2.41' });
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBe(60);
      expect(((await second.json()) as ErrorBody).error.details?.reason).toBe('code-wait');
      expect(await smsCountTo(contact.phone)).toBe(1);

      const address = '192.0.2.50';
      for (let i = 0; i < 5; i += 1) {
        expect((await call('/api/family/code', { json: { phone: newPhone() }, address })).status).toBe(202);
      }
      const byAddress = await call('/api/family/code', { json: { phone: newPhone() }, address });
      expect(byAddress.status).toBe(429);
      // The refused number was not counted: from elsewhere it still gets its codes.
      const fresh = await addContact();
      expect((await call('/api/family/code', { json: { phone: fresh.phone }, address })).status).toBe(429);
      expect((await call('/api/family/code', { json: { phone: fresh.phone }, address: '192.0.2.51' })).status).toBe(
        202,
      );
    });

    it('refuses numbers that are not phone numbers and codes that are not 6 digits (400)', async () => {
      expect((await call('/api/family/code', { json: { phone: '12' } })).status).toBe(400);
      expect((await call('/api/family/code', { json: {} })).status).toBe(400);
      const contact = await addContact();
      expect((await call('/api/family/code/verify', { json: { phone: contact.phone, code: '12345' } })).status).toBe(
        400,
      );
      expect((await call('/api/family/code/verify', { json: { phone: contact.phone, code: 'abcdef' } })).status).toBe(
        400,
      );
    });
  });

  describe('the page and joining a call', () => {
    it("shows the next call of the contact in the contact's own zone, open from 5 minutes before", async () => {
      const contact = await addContact({ timeZone: 'Europe/Madrid', language: 'zh-CN' });
      const token = await enrol(await newLink(contact.id));
      const none = (await (await call('/api/family/me', { token })).json()) as FamilyMe;
      expect(none.nextCall).toBeNull();
      expect(none.home.name).toBe(world.a.home.name);

      // Another contact's call of the same household is not this contact's.
      await book(world.a.contact.id, 60);
      const later = await book(contact.id, 2 * 24 * 60);
      const booking = await book(contact.id, 120);
      const me = (await (await call('/api/family/me', { token })).json()) as FamilyMe;
      expect(me.serverTime).toBe(start.toISOString());
      expect(me.nextCall).toMatchObject({
        bookingId: booking.id,
        start: booking.start.toISOString(),
        end: booking.end.toISOString(),
        childNames: [world.a.child.givenName],
        opensAt: new Date(booking.start.getTime() - 5 * MINUTE).toISOString(),
        isOpen: false,
      });
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Madrid',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(booking.start);
      const startLocal = me.nextCall!.startLocal;
      expect(startLocal).toMatchObject({ timeZone: 'Europe/Madrid', time: local });
      expect(startLocal.zoneName).toMatch(/欧/);
      expect(startLocal.text).toContain(`${local}（${startLocal.zoneName}）`);
      expect(me.nextCall!.bookingId).not.toBe(later.id);

      world.setNow(new Date(booking.start.getTime() - 5 * MINUTE - 1000));
      expect(((await (await call('/api/family/me', { token })).json()) as FamilyMe).nextCall?.isOpen).toBe(false);
      world.setNow(new Date(booking.start.getTime() - 5 * MINUTE));
      expect(((await (await call('/api/family/me', { token })).json()) as FamilyMe).nextCall?.isOpen).toBe(true);
      world.setNow(new Date(booking.end.getTime()));
      const after = (await (await call('/api/family/me', { token })).json()) as FamilyMe;
      expect(after.nextCall?.bookingId).toBe(later.id);
    });

    it('says 北京时间 and 今天 for a contact in China', async () => {
      const contact = await addContact();
      const token = await enrol(await newLink(contact.id));
      const booking = await book(contact.id, 30);
      const me = (await (await call('/api/family/me', { token })).json()) as FamilyMe;
      expect(me.nextCall?.bookingId).toBe(booking.id);
      const local = me.nextCall!.startLocal;
      expect(local.zoneName).toBe('北京时间');
      expect(local.daysFromToday === 0 ? local.text.startsWith('今天 ') : local.text.startsWith('明天 ')).toBe(true);
    });

    it("joins only the family's own open calls: 404 for others, 409 when not open, 503 without LiveKit", async () => {
      const contact = await addContact();
      const token = await enrol(await newLink(contact.id));
      const own = await book(contact.id, 240);
      const otherContact = await book(world.a.contact.id, 300);
      const otherHome = await book(world.b.contact.id, 240, world.b);

      const join = async (bookingId: string, as = token) => {
        const res = await call(`/api/family/calls/${bookingId}/join`, { method: 'POST', token: as });
        return [res.status, ((await res.json()) as ErrorBody).error?.details?.reason];
      };
      expect(await join(otherHome.id)).toEqual([404, undefined]);
      expect(await join(otherContact.id)).toEqual([404, undefined]);
      expect(await join('bkg_0000000000000000')).toEqual([404, undefined]);

      const early = await call(`/api/family/calls/${own.id}/join`, { method: 'POST', token });
      expect(early.status).toBe(409);
      expect(((await early.json()) as { error: { details: unknown } }).error.details).toEqual({
        reason: 'not-open',
        opensAt: new Date(own.start.getTime() - 5 * MINUTE).toISOString(),
      });
      world.setNow(new Date(own.start.getTime() - 4 * MINUTE));
      expect(await join(own.id)).toEqual([503, 'calls-unavailable']);
      world.setNow(own.end);
      expect(await join(own.id)).toEqual([409, 'ended']);
    });
  });
});
