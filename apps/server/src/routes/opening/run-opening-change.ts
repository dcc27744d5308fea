import {
  type BookingOutsideHours,
  changeOpeningHours,
  type OnBookingsChoice,
  type OpeningChangeOutcome,
} from '@affection/bookings';
import { AppError, wallClockOf } from '@affection/core';
import { type Db, getHome, listKiosks } from '@affection/db';
import { CATALOGS } from '@affection/ui';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { StaffPrincipal } from '../../auth/principal.ts';
import type { AppEnv } from '../../services.ts';
import { bookingActorOf } from '../bookings/booking-actor-of.ts';
import { bookingDepsOf } from '../bookings/booking-deps.ts';
import { loadBookingDirectory, partyOf } from '../bookings/booking-directory.ts';
import { zonedSpan } from '../bookings/booking-dto.ts';
import { fieldProblem } from '../contacts/field-problem.ts';
import type { OutsideBookingSchema, OutsideBookingsResultSchema } from './opening-schemas.ts';

type OutsideBookingDto = z.infer<typeof OutsideBookingSchema>;

/**
 * The reason kept on a call cancelled for a change of hours, in the Home's language (zh-CN): 之家休息 for a closed day,
 * 之家开放时间调整 for other changes, with the admin's note (国庆节) in brackets.
 */
export function cancelReasonOf(kind: 'closed' | 'changed', note?: string | null): string {
  const base = CATALOGS['zh-CN'][kind === 'closed' ? 'console.hours.reason.closed' : 'console.hours.reason.changed'];
  return note ? `${base}（${note}）` : base;
}

/**
 * 400 `validation.date_past` on each of `fields` holding a date before today in the Home's zone (today is fine: the
 * change still touches the calls later today).
 */
export async function refusePastDates(
  c: Context<AppEnv>,
  homeId: string,
  fields: Record<string, string>,
): Promise<void> {
  const services = c.get('services');
  const home = await getHome(services.database.db, homeId);
  if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
  const today = wallClockOf(services.now(), home.timeZone).date;
  const past = Object.entries(fields).filter(([, date]) => date < today);
  if (past.length === 0) return;
  throw new AppError('validation-failed', `Some fields need fixing: ${past.map(([path]) => path).join(', ')}`, {
    details: { target: 'json', fields: past.map(([path]) => fieldProblem(path, 'validation.date_past')) },
  });
}

/** The calls a change leaves outside, by name, for the answer. */
async function outsideDtos(db: Db, homeId: string, outside: readonly BookingOutsideHours[], zone: string) {
  if (outside.length === 0) return new Map<string, OutsideBookingDto>();
  const [directory, kiosks] = await Promise.all([loadBookingDirectory(db, homeId), listKiosks(db, homeId)]);
  const kioskNames = new Map(kiosks.map((k) => [k.id, k.name]));
  return new Map(
    outside.map(({ booking, underWay }) => [
      booking.id,
      {
        id: booking.id,
        status: booking.status,
        version: booking.version,
        start: booking.start.toISOString(),
        end: booking.end.toISOString(),
        inHomeZone: zonedSpan(booking.start, booking.end, zone),
        kioskId: booking.kioskId,
        kioskName: kioskNames.get(booking.kioskId) ?? '',
        party: partyOf(booking, directory),
        underWay,
      },
    ]),
  );
}

/** What a change of hours did, as the routes answer it. */
export interface OpeningChangeAnswer<T> {
  result: T;
  timeZone: string;
  /** Every call left outside the hours, in time order (the preview's list). */
  outside: OutsideBookingDto[];
  /** What the change did with them. */
  bookings: z.infer<typeof OutsideBookingsResultSchema>;
}

/** What the audit event of a change keeps about the calls it left outside (ids only); nothing when there were none. */
export function bookingsAuditOf(
  answer: OpeningChangeAnswer<unknown>,
  onBookings: OnBookingsChoice | undefined,
): Record<string, unknown> {
  if (answer.outside.length === 0) return {};
  return {
    onBookings: onBookings ?? null,
    cancelledBookingIds: answer.bookings.cancelled.map((b) => b.id),
    keptBookingIds: answer.bookings.kept.map((b) => b.id),
  };
}

/** Options of {@link runOpeningChange}. */
export interface RunOpeningChangeOptions<T> {
  apply: (db: Db) => Promise<T>;
  onBookings?: OnBookingsChoice | undefined;
  reason: string;
  /** A preview: everything is rolled back. */
  dryRun?: boolean;
}

/**
 * Runs one change of opening hours through the booking layer's `changeOpeningHours` as the signed-in admin, and
 * answers it with the calls it leaves outside by name; its refusals become 409 `bookings-affected` (with the calls in
 * `details.bookings`) and 409 `bookings-changed`.
 */
export async function runOpeningChange<T>(
  c: Context<AppEnv>,
  staff: StaffPrincipal,
  options: RunOpeningChangeOptions<T>,
): Promise<OpeningChangeAnswer<T>> {
  const services = c.get('services');
  const db = services.database.db;
  const outcome: OpeningChangeOutcome<T> = await changeOpeningHours(bookingDepsOf(services), bookingActorOf(staff), {
    homeId: staff.homeId,
    apply: options.apply,
    reason: options.reason,
    ...(options.dryRun ? { dryRun: true, onBookings: 'keep' as const } : {}),
    ...(!options.dryRun && options.onBookings ? { onBookings: options.onBookings } : {}),
  });
  const dtos = await outsideDtos(db, staff.homeId, outcome.outside, outcome.timeZone);
  const outside = outcome.outside.map((o) => dtos.get(o.booking.id)!);
  if (!outcome.ok) {
    if (outcome.reason === 'bookings-affected') {
      throw new AppError(
        'conflict',
        'This change leaves booked calls outside the opening hours; send onBookings: cancel or keep.',
        {
          userMessageKey: 'error.opening.bookings-affected',
          details: { reason: 'bookings-affected', bookings: outside },
        },
      );
    }
    throw new AppError('conflict', 'A call changed while saving; nothing was saved. Look at the calls again.', {
      userMessageKey: 'error.opening.bookings-changed',
      details: { reason: 'bookings-changed', bookingId: outcome.bookingId },
    });
  }
  const cancelledIds = new Set(outcome.cancelled.map((b) => b.id));
  const cancelled = outcome.cancelled.map((b) => ({
    ...dtos.get(b.id)!,
    status: b.status,
    version: b.version,
  }));
  return {
    result: outcome.result,
    timeZone: outcome.timeZone,
    outside,
    bookings: { cancelled, kept: outside.filter((b) => !cancelledIds.has(b.id)) },
  };
}
