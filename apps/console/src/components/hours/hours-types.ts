import type { ApiResponse } from '@affection/server/contract';

/** `GET /api/opening`: the zone, the weekly rules and the dated exceptions. */
export type Opening = ApiResponse<'GET /api/opening'>;
/** One dated exception (a closed day or special hours). */
export type OpeningException = Opening['exceptions'][number];
/** A booked call a change would leave outside the hours. */
export type OutsideBooking = ApiResponse<'POST /api/opening/preview'>['bookings'][number];
/** What a saved change did with those calls. */
export type OutsideResult = ApiResponse<'PUT /api/opening/rules'>['bookings'];

/** One weekly range as the editor holds it (times as typed). */
export interface RuleDraft {
  weekday: number;
  startTime: string;
  endTime: string;
}

/** ISO weekdays, Monday first. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** What the admin chose for the calls a change leaves outside the hours. */
export type OnBookings = 'cancel' | 'keep';
