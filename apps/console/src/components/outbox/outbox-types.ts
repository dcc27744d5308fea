import type { ApiResponse } from '@affection/server/contract';

/** `GET /api/outbox`: a page of messages. */
export type OutboxPage = ApiResponse<'GET /api/outbox'>;

/** One outgoing message as the outbox lists it (number and any sign-in code masked by the server). */
export type OutboxMessage = OutboxPage['items'][number];

/** Where a message is, in the console's words. */
export type OutboxStage = OutboxMessage['stage'];

/** The stages in the order a message moves through them. */
export const STAGES: readonly OutboxStage[] = ['queued', 'sent', 'delivered', 'failed', 'expired', 'cancelled'];

/** The outbox's filters, as kept in the address (`#/outbox?stage=failed&from=…`); empty = no filter. */
export interface OutboxFilters {
  stage: OutboxStage | '';
  from: string;
  to: string;
  childId: string;
  bookingId: string;
}

/** No filter at all. */
export const NO_FILTERS: OutboxFilters = { stage: '', from: '', to: '', childId: '', bookingId: '' };
