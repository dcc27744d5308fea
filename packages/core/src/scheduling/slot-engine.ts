import { DateTime } from 'luxon';
import { isCountedBooking } from '../bookings/booking-statuses.ts';
import { MINUTE_MS, WallClock } from '../time/zoned-time.ts';
import { type Interval, overlaps } from './interval.ts';
import { openingIntervalsMs } from './opening-intervals.ts';
import type { FreeSlot, HomeCalendar, HomeSettings, SchedulingBooking, TimeRange } from './types.ts';

/** The engine's working form of a {@link FreeSlot}: epoch milliseconds and the free kiosks. */
export interface SlotMs extends Interval {
  kioskIds: string[];
}

/**
 * The Home's slot grid: inside each opening interval, calls of `slotMinutes` one after another with
 * `bufferMinutes` between them, starting at the interval's start; a call that would run past the interval's end is
 * not offered. Returns the slots that start within `[from, to)`, in time order.
 * @example generateSlots(home, monday, nextMonday) // 12:00–12:15, 12:20–12:35, … with slotMinutes 15, bufferMinutes 5
 */
export function generateSlots(
  calendar: Pick<HomeCalendar, 'settings' | 'openingRules' | 'openingExceptions'>,
  from: Date,
  to: Date,
): TimeRange[] {
  return slotGridMs(calendar, from.getTime(), to.getTime(), new WallClock()).map(
    (s): TimeRange => ({ start: new Date(s.start), end: new Date(s.end) }),
  );
}

/** {@link generateSlots} in epoch milliseconds, sharing a {@link WallClock} with the caller. */
export function slotGridMs(
  calendar: Pick<HomeCalendar, 'settings' | 'openingRules' | 'openingExceptions'>,
  fromMs: number,
  toMs: number,
  clock: WallClock,
): Interval[] {
  const { slotMinutes, bufferMinutes } = calendar.settings;
  if (!(slotMinutes > 0) || !(bufferMinutes >= 0)) {
    throw new RangeError('slotMinutes must be positive and bufferMinutes not negative');
  }
  const length = slotMinutes * MINUTE_MS;
  const step = (slotMinutes + bufferMinutes) * MINUTE_MS;
  const slots: Interval[] = [];
  for (const opening of openingIntervalsMs(calendar, fromMs, toMs, clock)) {
    for (let start = opening.start; start + length <= opening.end; start += step) {
      if (start >= fromMs && start < toMs) slots.push({ start, end: start + length });
    }
  }
  return slots;
}

/**
 * The earliest and latest start a booking may have from `now`: `now + minNoticeMinutes` and `now` plus
 * `bookingHorizonDays` calendar days in the Home's zone (both included).
 */
export function bookingWindow(settings: HomeSettings, now: Date): { earliest: Date; latest: Date } {
  const earliest = new Date(now.getTime() + settings.minNoticeMinutes * MINUTE_MS);
  const latest = DateTime.fromJSDate(now, { zone: settings.timeZone }).plus({ days: settings.bookingHorizonDays });
  return { earliest, latest: latest.toJSDate() };
}

/** Options of {@link listBookableSlots}. */
export interface ListBookableSlotsOptions {
  calendar: HomeCalendar;
  /** Existing bookings; only active ones hold their kiosk. */
  bookings: readonly SchedulingBooking[];
  /** The current instant; slots must respect the minimum notice and the horizon from it. */
  now: Date;
  /** Only slots starting at or after this instant. Default: no extra limit. */
  from?: Date;
  /** Only slots starting before this instant. Default: no extra limit. */
  to?: Date;
}

/**
 * Slots that can still be booked from `now`, each with the enabled kiosks no active booking holds; slots with no
 * free kiosk are left out. Capacity of a slot = its free kiosks.
 */
export function listBookableSlots(options: ListBookableSlotsOptions): FreeSlot[] {
  return bookableSlotsMs(options, new WallClock()).map(
    (s): FreeSlot => ({ start: new Date(s.start), end: new Date(s.end), kioskIds: s.kioskIds }),
  );
}

/** {@link listBookableSlots} in epoch milliseconds, sharing a {@link WallClock} with the caller. */
export function bookableSlotsMs(options: ListBookableSlotsOptions, clock: WallClock): SlotMs[] {
  const { calendar, now } = options;
  const window = bookingWindow(calendar.settings, now);
  const fromMs = Math.max(window.earliest.getTime(), options.from?.getTime() ?? Number.NEGATIVE_INFINITY);
  // The horizon is inclusive; the grid's `to` is exclusive.
  const toMs = Math.min(window.latest.getTime() + 1, options.to?.getTime() ?? Number.POSITIVE_INFINITY);
  const grid = slotGridMs(calendar, fromMs, toMs, clock);
  const enabled = calendar.kiosks.filter((k) => k.enabled).map((k) => k.id);
  const blocking = options.bookings
    .filter(isCountedBooking)
    .map((b) => ({ kioskId: b.kioskId, start: b.start.getTime(), end: b.end.getTime() }));
  const slots: SlotMs[] = [];
  for (const slot of grid) {
    const taken = new Set(blocking.filter((b) => overlaps(b.start, b.end, slot.start, slot.end)).map((b) => b.kioskId));
    const kioskIds = enabled.filter((id) => !taken.has(id));
    if (kioskIds.length > 0) slots.push({ start: slot.start, end: slot.end, kioskIds });
  }
  return slots;
}
