import type { ApiResponse } from '@affection/server/contract';

/** `GET /api/contact-cards`: the Home and one card's data per household. */
export type CardsAnswer = ApiResponse<'GET /api/contact-cards'>;

/** One household's card data. */
export type HouseholdCard = CardsAnswer['cards'][number];

/** A contact of a household as the card shows them. */
export type CardContact = HouseholdCard['contacts'][number];

/** An enrolment link made for this print run: its id and the address the QR code holds (shown once). */
export interface FreshLink {
  id: string;
  url: string;
}
