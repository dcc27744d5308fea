import { AppError, type Contact } from '@affection/core';
import {
  type BookingRecord,
  getContact,
  getHome,
  listBookingsOfHousehold,
  listChildren,
  touchFamilyDevice,
} from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { LocalCallTimeSchema, localCallTime } from './call-time.ts';
import { JOIN_OPENS_BEFORE_MS } from './family-settings.ts';

/** Bookings a family can join: confirmed, or already going on. */
export const JOINABLE_STATUSES = ['confirmed', 'in-progress'] as const;

const NextCallSchema = z
  .object({
    bookingId: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    start: z.string().datetime(),
    end: z.string().datetime(),
    status: z.enum(JOINABLE_STATUSES),
    childNames: z
      .array(z.string())
      .openapi({ example: ['小明'], description: 'Given names of the children on the call' }),
    opensAt: z.string().datetime().openapi({ description: 'From when the call can be joined (5 minutes early)' }),
    isOpen: z.boolean().openapi({ description: 'Whether the call can be joined now' }),
    startLocal: LocalCallTimeSchema,
  })
  .openapi('FamilyNextCall');

const FamilyMeSchema = z
  .object({
    contact: z.object({
      id: z.string(),
      name: z.string().openapi({ example: '李秀英' }),
      relation: z.enum(['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other']),
      timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
      language: z.enum(['zh-CN', 'en']),
      channel: z.enum(['video', 'phone']).openapi({ description: '`phone`: the Home rings them at call time' }),
      phoneFallback: z.boolean().openapi({ description: 'Their phone is rung when they have not joined by video' }),
    }),
    home: z.object({ name: z.string().openapi({ example: '石门乡中心小学留守儿童之家' }) }),
    childNames: z.array(z.string()).openapi({ example: ['小明', '小红'], description: "The household's children" }),
    nextCall: NextCallSchema.nullable(),
    proposalsAwaiting: z
      .number()
      .int()
      .openapi({ description: "The household's proposed calls still awaiting an answer (confirm them on the page)" }),
    serverTime: z.string().datetime().openapi({ description: 'Count down from this, not the phone’s own clock' }),
  })
  .openapi('FamilyMe');

export const route = createRoute({
  method: 'get',
  path: '/api/family/me',
  tags: ['family'],
  summary: 'Who is signed in, their children and their next call (in their own zone)',
  responses: {
    200: { description: 'The family page’s data', content: { 'application/json': { schema: FamilyMeSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

/** The first joinable booking that has not ended and that this contact is on. */
export function nextCallOf(
  bookings: readonly BookingRecord[],
  contactId: string,
  now: Date,
): BookingRecord | undefined {
  return bookings
    .filter(
      (b) =>
        (JOINABLE_STATUSES as readonly string[]).includes(b.status) &&
        b.end > now &&
        (b.contactId === contactId || b.secondContactId === contactId),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime())[0];
}

/** Whether a booking can be joined at `now`: from 5 minutes before its start until its end. */
export function isCallOpen(booking: Pick<BookingRecord, 'start' | 'end'>, now: Date): boolean {
  return now.getTime() >= booking.start.getTime() - JOIN_OPENS_BEFORE_MS && now < booking.end;
}

function contactDto(contact: Contact) {
  return {
    id: contact.id,
    name: contact.name,
    relation: contact.relation,
    timeZone: contact.timeZone,
    language: contact.language,
    channel: contact.channel,
    phoneFallback: contact.phoneFallback,
  };
}

/** `GET /api/family/me` (family): its own contact and household only. */
export function registerGetFamilyMe(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { database, now } = c.get('services');
    const db = database.db;
    const at = now();
    const [contact, home, children, bookings] = await Promise.all([
      getContact(db, family.homeId, family.contactId),
      getHome(db, family.homeId),
      listChildren(db, family.homeId, { householdId: family.householdId, limit: 50, offset: 0 }),
      listBookingsOfHousehold(db, family.homeId, family.householdId, {
        from: at,
        statuses: [...JOINABLE_STATUSES, 'proposed'],
      }),
    ]);
    if (!contact || !home) throw new AppError('not-found', 'Your Home no longer knows this contact.');
    await touchFamilyDevice(db, family.deviceId, at);
    const nameOf = new Map(children.items.map((child) => [child.id, child.givenName]));
    const next = nextCallOf(bookings, contact.id, at);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        contact: contactDto(contact),
        home: { name: home.name },
        childNames: children.items.map((child) => child.givenName),
        nextCall: next
          ? {
              bookingId: next.id,
              start: next.start.toISOString(),
              end: next.end.toISOString(),
              status: next.status as (typeof JOINABLE_STATUSES)[number],
              childNames: next.childIds.flatMap((id) => nameOf.get(id) ?? []),
              opensAt: new Date(next.start.getTime() - JOIN_OPENS_BEFORE_MS).toISOString(),
              isOpen: isCallOpen(next, at),
              startLocal: localCallTime(next.start, next.end, contact, at),
            }
          : null,
        proposalsAwaiting: bookings.filter((b) => b.status === 'proposed' && b.start > at).length,
        serverTime: at.toISOString(),
      },
      200,
    );
  });
}
