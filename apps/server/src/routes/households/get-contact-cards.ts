import {
  AppError,
  HOLDING_BOOKING_STATUSES,
  isContactApproved,
  isErasedContactPhone,
  wallClockOf,
} from '@affection/core';
import {
  type Db,
  getHome,
  getHousehold,
  listAvailabilityWindows,
  listBookingsOfHousehold,
  listChildren,
  listContactsOfHousehold,
  listKiosks,
} from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

/** Most households one request prints (a class at a time, 2–4 cards a page). */
export const MAX_CARD_HOUSEHOLDS = 60;
/** More children than any household has. */
const MAX_CHILDREN = 50;
/** Upcoming calls listed on a card. */
const NEXT_CALLS = 3;

const WindowSchema = z.object({
  weekday: z.number().int().openapi({ example: 3, description: 'ISO weekday, Monday = 1' }),
  startTime: z.string().openapi({ example: '19:00' }),
  endTime: z.string().openapi({ example: '21:00' }),
});

const ContactCardSchema = z
  .object({
    household: z.object({ id: z.string(), name: z.string().openapi({ example: '王家' }) }),
    children: z.array(
      z.object({
        id: z.string(),
        name: z.string().openapi({ example: '王小明' }),
        className: z.string().nullable().openapi({ example: '三年级二班' }),
      }),
    ),
    contacts: z.array(
      z.object({
        id: z.string(),
        name: z.string().openapi({ example: '李秀英' }),
        relation: z.enum(['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other']),
        channel: z.enum(['video', 'phone']),
        approved: z.boolean().openapi({ description: 'Only an approved contact can be given a QR code' }),
        timeZone: z.string(),
        windows: z.array(WindowSchema).openapi({ description: "When they can take calls, in the contact's zone" }),
      }),
    ),
    series: z
      .array(
        z.object({
          seriesId: z.string(),
          weekday: z.number().int(),
          time: z.string().openapi({ example: '12:15', description: "Start in the Home's zone" }),
          minutes: z.number().int(),
          kioskName: z.string().nullable(),
        }),
      )
      .openapi({ description: 'Standing weekly calls (their next occurrence read in the Home’s zone)' }),
    nextCalls: z.array(
      z.object({
        bookingId: z.string(),
        start: z.string().datetime(),
        end: z.string().datetime(),
        kioskName: z.string().nullable(),
      }),
    ),
  })
  .openapi('ContactCard');

const ContactCardsSchema = z
  .object({
    home: z.object({
      id: z.string(),
      name: z.string().openapi({ example: '青山镇中心小学留守儿童之家' }),
      timeZone: z.string(),
    }),
    cards: z.array(ContactCardSchema),
  })
  .openapi('ContactCards');

const CardsQuerySchema = z.object({
  households: z
    .string()
    .max(MAX_CARD_HOUSEHOLDS * 21)
    .transform((value, ctx) => {
      const ids = [...new Set(value.split(',').map((part) => part.trim()))].filter(Boolean);
      if (
        ids.length === 0 ||
        ids.length > MAX_CARD_HOUSEHOLDS ||
        ids.some((id) => !idOf('hsh').safeParse(id).success)
      ) {
        ctx.addIssue({ code: 'custom', message: 'validation.invalid' });
        return z.NEVER;
      }
      return ids;
    })
    .openapi({
      description: `Comma-separated household ids, 1–${MAX_CARD_HOUSEHOLDS}, printed in this order`,
      example: 'hsh_7m2k9x4q1b8c0d5e,hsh_0a1b2c3d4e5f6g7h',
    }),
});

export const route = createRoute({
  method: 'get',
  path: '/api/contact-cards',
  tags: ['households'],
  summary: 'What the contact cards (联系卡) of some households print, in one answer (audited)',
  description:
    'Per household: the children (name, class), the contacts who may get a QR code (with when they can take ' +
    'calls), the standing weekly calls and the next calls; with the Home’s name. No phone numbers: the card ' +
    'carries the QR code, made separately per contact (`POST /api/contacts/{id}/enrolment-link`). The Home has no ' +
    'phone number on record, so none is returned. A household of another Home, or none at all, is a 404.',
  request: { query: CardsQuerySchema },
  responses: {
    200: {
      description: 'The cards, in the order asked',
      content: { 'application/json': { schema: ContactCardsSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

type ContactCard = z.infer<typeof ContactCardSchema>;

/** One household's card, or null when the household is not in the Home. */
async function loadCard(
  db: Db,
  homeId: string,
  householdId: string,
  context: { zone: string; now: Date; kioskNames: Map<string, string> },
): Promise<ContactCard | null> {
  const household = await getHousehold(db, homeId, householdId);
  if (!household) return null;
  const [kids, contacts, bookings] = await Promise.all([
    listChildren(db, homeId, { householdId, includeArchived: false, limit: MAX_CHILDREN, offset: 0 }),
    listContactsOfHousehold(db, homeId, householdId),
    listBookingsOfHousehold(db, homeId, householdId, { from: context.now, statuses: HOLDING_BOOKING_STATUSES }),
  ]);
  const shown = contacts.filter((contact) => !isErasedContactPhone(contact.phone) && contact.revokedAt === null);
  const windows = await Promise.all(shown.map((contact) => listAvailabilityWindows(db, homeId, contact.id)));
  const upcoming = bookings.filter((booking) => booking.start > context.now);
  const series = new Map<string, ContactCard['series'][number]>();
  for (const booking of upcoming) {
    if (!booking.seriesId || series.has(booking.seriesId)) continue;
    const reading = wallClockOf(booking.start, context.zone);
    series.set(booking.seriesId, {
      seriesId: booking.seriesId,
      weekday: reading.weekday,
      time: reading.time,
      minutes: Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000),
      kioskName: context.kioskNames.get(booking.kioskId) ?? null,
    });
  }
  return {
    household: { id: household.id, name: household.name },
    children: kids.items.map((child) => ({
      id: child.id,
      name: `${child.familyName}${child.givenName}`,
      className: child.className,
    })),
    contacts: shown.map((contact, index) => ({
      id: contact.id,
      name: contact.name,
      relation: contact.relation,
      channel: contact.channel,
      approved: isContactApproved(contact),
      timeZone: contact.timeZone,
      windows: (windows[index] ?? []).map((w) => ({ weekday: w.weekday, startTime: w.startTime, endTime: w.endTime })),
    })),
    series: [...series.values()].sort((a, b) => a.weekday - b.weekday || a.time.localeCompare(b.time)),
    nextCalls: upcoming.slice(0, NEXT_CALLS).map((booking) => ({
      bookingId: booking.id,
      start: booking.start.toISOString(),
      end: booking.end.toISOString(),
      kioskName: context.kioskNames.get(booking.kioskId) ?? null,
    })),
  };
}

/** `GET /api/contact-cards?households=…` (teacher): households of the caller's Home only. */
export function registerGetContactCards(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { households } = c.req.valid('query');
    const { database, now } = c.get('services');
    const db = database.db;
    const home = await getHome(db, staff.homeId);
    if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
    const kioskNames = new Map((await listKiosks(db, staff.homeId)).map((kiosk) => [kiosk.id, kiosk.name]));
    const context = { zone: home.timeZone, now: now(), kioskNames };
    const cards: ContactCard[] = [];
    // One household at a time: a card is a handful of small reads, and a print run is a class at most.
    for (const householdId of households) {
      const card = await loadCard(db, staff.homeId, householdId, context);
      if (!card) throw new AppError('not-found', 'No such household in your Home.');
      cards.push(card);
    }
    for (const card of cards) {
      await audit(c, 'household.contact-card.read', 'household', card.household.id, {
        childIds: card.children.map((child) => child.id),
        contactIds: card.contacts.map((contact) => contact.id),
      });
    }
    return c.json({ home: { id: home.id, name: home.name, timeZone: home.timeZone }, cards }, 200);
  });
}
