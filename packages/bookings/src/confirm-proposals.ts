import { isAppError } from '@affection/core';
import type { BookingRecord } from '@affection/db';
import { answerProposal } from './answer-proposal.ts';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';

/** Several proposals a teacher confirms at once ("confirm all" of a week). */
export interface ConfirmProposalsInput {
  homeId: string;
  /** The proposals, each confirmed on its own (one that cannot be confirmed does not stop the others). */
  bookingIds: readonly string[];
}

/** What became of one proposal of {@link confirmProposals}. */
export type ProposalConfirmation =
  | { bookingId: string; ok: true; booking: BookingRecord }
  | { bookingId: string; ok: false; reason: 'not-active' | 'not-found' };

/**
 * Confirms each proposal in turn through {@link answerProposal} (each its own write: audited as `confirm`, its
 * lifecycle — the family's confirmation SMS, reminders, room — planned at once) and answers per booking: confirmed,
 * `not-active` (no longer a proposal: confirmed, declined or cancelled meanwhile) or `not-found` (not in the Home).
 * Ids are taken once each, in the order given.
 */
export async function confirmProposals(
  deps: BookingDeps,
  actor: BookingActor,
  input: ConfirmProposalsInput,
): Promise<ProposalConfirmation[]> {
  const results: ProposalConfirmation[] = [];
  for (const bookingId of new Set(input.bookingIds)) {
    try {
      const outcome = await answerProposal(deps, actor, { homeId: input.homeId, bookingId, answer: 'confirm' });
      results.push(
        outcome.ok
          ? { bookingId, ok: true, booking: outcome.booking }
          : { bookingId, ok: false, reason: outcome.reason },
      );
    } catch (error) {
      if (isAppError(error) && error.code === 'not-found') results.push({ bookingId, ok: false, reason: 'not-found' });
      else throw error;
    }
  }
  return results;
}
