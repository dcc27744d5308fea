import type { ApiResponse } from '@affection/server/contract';

/** The child as the record page reads it (with household, teachers, last and next call). */
export type ChildRecord = ApiResponse<'GET /api/children/{id}'>;

/** The child's household with siblings and contacts (numbers masked). */
export type HouseholdDetail = ApiResponse<'GET /api/households/{id}'>;

/** A contact as lists show it. */
export type ContactSummary = HouseholdDetail['contacts'][number];

/** One booking of the household. */
export type BookingItem = ApiResponse<'GET /api/bookings'>['items'][number];

/** One call on the child's record. */
export type ChildCall = ApiResponse<'GET /api/children/{id}/calls'>['items'][number];

/** A weekly availability window in the contact's own zone. */
export type AvailabilityWindow = ApiResponse<'GET /api/contacts/{id}/availability'>['windows'][number];
