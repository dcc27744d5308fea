import type { ApiResponse } from '@affection/server/contract';

/** `GET /api/bookings/calendar`. */
export type CalendarData = ApiResponse<'GET /api/bookings/calendar'>;

/** A booking with its party's names. */
export type CalendarBooking = CalendarData['bookings'][number];

/** A kiosk of the Home. */
export type CalendarKiosk = CalendarData['kiosks'][number];

/** A household found by `GET /api/bookings/household-search`. */
export type BookableHousehold = ApiResponse<'GET /api/bookings/household-search'>['items'][number];

/** A free slot of `GET /api/bookings/available-slots`. */
export type FreeSlot = ApiResponse<'GET /api/bookings/available-slots'>['slots'][number];

/** What a booking says about who it is for: the children's names, then the household. */
export function partyLabel(party: CalendarBooking['party']): string {
  const children = party.children.map((child) => `${child.familyName}${child.givenName}`).join('、');
  return children || party.householdName;
}

/** Statuses that still hold their slot (drawn solid); the others are drawn faded. */
export const HOLDING_STATUSES: readonly string[] = ['proposed', 'confirmed', 'in-progress'];

/** Statuses a teacher can still move or cancel. */
export const CHANGEABLE_STATUSES: readonly string[] = ['proposed', 'confirmed'];
