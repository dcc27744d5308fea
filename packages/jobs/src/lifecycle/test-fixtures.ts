import type {
  CallParticipant,
  CallRoom,
  CallRooms,
  Contact,
  PhoneBridge,
  RingPhoneRequest,
  RingPhoneResult,
} from '@affection/core';
import { parseParticipantIdentity, participantKindOf } from '@affection/core';
import {
  type BookingRecord,
  type BookingSource,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createId,
  type Db,
  schema,
  updateContact,
} from '@affection/db';

/** A Home for lifecycle tests: kiosks and a member of staff who approves contacts. */
export interface TestHome {
  homeId: string;
  name: string;
  kioskIds: string[];
  staffId: string;
}

/** Seeds a Home (in Shanghai) with `kiosks` kiosks. Only for tests. */
export async function seedTestHome(db: Db, options: { kiosks?: number; slotMinutes?: number } = {}): Promise<TestHome> {
  const name = '某某小学留守儿童之家';
  const home = await createHome(db, { name, timeZone: 'Asia/Shanghai', slotMinutes: options.slotMinutes ?? 15 });
  const staffId = createId('staff');
  await db.insert(schema.staff).values({
    id: staffId,
    homeId: home.id,
    role: 'teacher',
    displayName: '王老师',
    username: `t-${staffId}`,
    passwordHash: 'x',
  });
  const kioskIds = Array.from({ length: options.kiosks ?? 8 }, () => createId('kiosk'));
  await db
    .insert(schema.kiosks)
    .values(kioskIds.map((id, i) => ({ id, homeId: home.id, name: `${i + 1}号机`, enrolledAt: new Date() })));
  return { homeId: home.id, name, kioskIds, staffId };
}

/** A household with one child and one approved contact. */
export interface TestFamily {
  householdId: string;
  childId: string;
  contactId: string;
  phone: string;
}

let families = 0;

/** How a seeded contact differs from the defaults (video, may be rung, SMS, zh-CN, Shanghai, approved). */
export interface TestContactOptions {
  channel?: 'video' | 'phone';
  phoneFallback?: boolean;
  smsOptOut?: boolean;
  language?: 'zh-CN' | 'en';
  timeZone?: string;
  approved?: boolean;
}

/** Seeds a contact of a household (李秀英, mother, unless told otherwise), approved unless `approved: false`. Only for tests. */
export async function seedTestContact(
  db: Db,
  home: TestHome,
  householdId: string,
  contact: TestContactOptions & { phone: string; name?: string; relation?: 'mother' | 'father' },
): Promise<Contact> {
  const created = await createContact(db, home.homeId, {
    householdId,
    name: contact.name ?? '李秀英',
    relation: contact.relation ?? 'mother',
    phone: contact.phone,
    timeZone: contact.timeZone ?? 'Asia/Shanghai',
    language: contact.language ?? 'zh-CN',
    channel: contact.channel ?? 'video',
    phoneFallback: contact.phoneFallback ?? true,
    smsOptOut: contact.smsOptOut ?? false,
  });
  if (contact.approved === false) return created;
  const now = new Date();
  const approved = await updateContact(db, home.homeId, created.id, { approvedBy: home.staffId, approvedAt: now }, now);
  return approved ?? created;
}

/** Seeds a household (child 小明) and its approved contact; options change the contact. Only for tests. */
export async function seedTestFamily(db: Db, home: TestHome, contact: TestContactOptions = {}): Promise<TestFamily> {
  families += 1;
  const household = await createHousehold(db, home.homeId, { name: `王家${families}` });
  const child = await createChild(db, home.homeId, { householdId: household.id, familyName: '王', givenName: '小明' });
  const phone = `+86138${String(process.pid % 1000).padStart(3, '0')}${String(families).padStart(5, '0')}`;
  const created = await seedTestContact(db, home, household.id, { ...contact, phone });
  return { householdId: household.id, childId: child.id, contactId: created.id, phone };
}

/**
 * Books a confirmed call for a family on the first kiosk of `home` free at that time: booked by a teacher unless
 * `source` says otherwise, with a second contact when given. Only for tests.
 */
export async function bookTestCall(
  db: Db,
  home: TestHome,
  family: TestFamily,
  span: { start: Date; end: Date; now?: Date },
  extra: { source?: BookingSource; secondContactId?: string } = {},
): Promise<BookingRecord> {
  for (const kioskId of home.kioskIds) {
    const result = await createBooking(db, {
      homeId: home.homeId,
      kioskId,
      householdId: family.householdId,
      contactId: family.contactId,
      secondContactId: extra.secondContactId ?? null,
      childIds: [family.childId],
      start: span.start,
      end: span.end,
      status: 'confirmed',
      source: extra.source ?? 'teacher',
      now: span.now ?? new Date(),
    });
    if (result.ok) return result.booking;
    if (result.reason !== 'slot-taken') throw new Error(`booking refused: ${result.reason}`);
  }
  throw new Error('booking refused: every kiosk is taken');
}

/** In-memory {@link CallRooms}: rooms by booking, participants a test puts in. */
export class InMemoryCallRooms implements CallRooms {
  readonly rooms = new Map<string, CallRoom>();
  readonly participants = new Map<string, CallParticipant[]>();
  readonly opened: string[] = [];
  readonly closed: string[] = [];

  async openRoom(request: Parameters<CallRooms['openRoom']>[0]): Promise<CallRoom> {
    this.opened.push(request.bookingId);
    const existing = this.rooms.get(request.bookingId);
    if (existing) return existing;
    const room: CallRoom = {
      name: request.bookingId,
      bookingId: request.bookingId,
      homeId: request.homeId,
      createdAt: new Date(),
      emptyTimeoutSeconds: request.emptyTimeoutSeconds,
      maxParticipants: request.maxParticipants,
      participantCount: 0,
    };
    this.rooms.set(request.bookingId, room);
    return room;
  }

  async closeRoom(bookingId: string) {
    this.closed.push(bookingId);
    // A closed room has nobody in it.
    this.participants.delete(bookingId);
    return this.rooms.delete(bookingId) ? ({ ok: true } as const) : ({ ok: false, reason: 'not-found' } as const);
  }

  async listParticipants(bookingId: string): Promise<CallParticipant[]> {
    return this.participants.get(bookingId) ?? [];
  }

  /** Puts someone in a room, as a join would (default: now). */
  join(bookingId: string, identity: string, joinedAt = new Date()): void {
    const list = this.participants.get(bookingId) ?? [];
    list.push({ identity, who: parseParticipantIdentity(identity), kind: participantKindOf(identity), joinedAt });
    this.participants.set(bookingId, list);
  }

  async issueJoinToken(): Promise<never> {
    throw new Error('not used');
  }
}

/** In-memory {@link PhoneBridge}: answers what a test scripts (default `no-answer`) and keeps every request. */
export class ScriptedPhoneBridge implements PhoneBridge {
  readonly rings: RingPhoneRequest[] = [];
  answers: RingPhoneResult[] = [];

  async ring(request: RingPhoneRequest): Promise<RingPhoneResult> {
    this.rings.push(request);
    return (
      this.answers.shift() ?? { outcome: 'no-answer', isRetryable: true, message: 'SIP 480 Temporarily Unavailable' }
    );
  }

  async hangUp() {
    return { ok: false, reason: 'not-in-call' } as const;
  }
}
