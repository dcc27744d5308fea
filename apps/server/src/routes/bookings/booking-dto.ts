import type { FreeSlot } from '@affection/core';
import { wallClockOf } from '@affection/core';
import type { BookingRecord } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import type { BookingSchema, FamilyBookingSchema, SlotSchema, ZonedSpanSchema } from './booking-schemas.ts';

/** A span read in `zone`. */
export function zonedSpan(start: Date, end: Date, zone: string): z.infer<typeof ZonedSpanSchema> {
  const from = wallClockOf(start, zone);
  return { timeZone: zone, date: from.date, startTime: from.time, endTime: wallClockOf(end, zone).time };
}

/** The shape the routes answer with. */
export function toBookingDto(booking: BookingRecord, homeZone: string): z.infer<typeof BookingSchema> {
  return {
    id: booking.id,
    kioskId: booking.kioskId,
    householdId: booking.householdId,
    contactId: booking.contactId,
    secondContactId: booking.secondContactId,
    childIds: booking.childIds,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    status: booking.status,
    source: booking.source,
    seriesId: booking.seriesId,
    version: booking.version,
    cancelReason: booking.cancelReason,
    inHomeZone: zonedSpan(booking.start, booking.end, homeZone),
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
  };
}

/** {@link toBookingDto} for a family, with the times in the contact's zone too. */
export function toFamilyBookingDto(
  booking: BookingRecord,
  homeZone: string,
  contactZone: string,
): z.infer<typeof FamilyBookingSchema> {
  return {
    ...toBookingDto(booking, homeZone),
    inContactZone: zonedSpan(booking.start, booking.end, contactZone),
  };
}

/** The shape of one slot in the answer. */
export function toSlotDto(slot: FreeSlot, homeZone: string, contactZone: string): z.infer<typeof SlotSchema> {
  return {
    start: slot.start.toISOString(),
    end: slot.end.toISOString(),
    freeKiosks: slot.kioskIds.length,
    inHomeZone: zonedSpan(slot.start, slot.end, homeZone),
    inContactZone: zonedSpan(slot.start, slot.end, contactZone),
  };
}
