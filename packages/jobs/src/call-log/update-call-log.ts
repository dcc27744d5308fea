import { type BookingRecord, type CallOutcome, type Db, findCallBooking, rebuildCallLog } from '@affection/db';
import { callFactsOf, participantsWith, type RoomCloseEntry } from './call-log-facts.ts';
import { type FoldedCallLog, foldCallLog } from './fold-call-log.ts';

/** Options of {@link updateCallLog}. */
export interface UpdateCallLogOptions {
  now: Date;
  /** What the room API showed at close, to keep with the log before folding (the close step passes it). */
  close?: RoomCloseEntry;
}

/** A call log after {@link updateCallLog}. */
export interface UpdatedCallLog {
  booking: BookingRecord;
  callLogId: string;
  /** As decided at the call's end (a rebuild never changes it); null before. */
  outcome: CallOutcome | null;
  folded: FoldedCallLog;
}

/**
 * Rebuilds the call log of a booking (room) from ALL its facts — every stored LiveKit event of the room, the kiosk's
 * reports and the room API's view at close — with {@link foldCallLog}, under the log's lock, and marks the events read
 * as processed. Running it again, with the same facts, writes the same log. Null when no booking has this id.
 */
export async function updateCallLog(
  db: Db,
  bookingId: string,
  options: UpdateCallLogOptions,
): Promise<UpdatedCallLog | null> {
  const booking = await findCallBooking(db, bookingId);
  if (!booking) return null;
  const { state, content } = await rebuildCallLog(db, { homeId: booking.homeId, bookingId, now: options.now }, (s) => {
    const kept = participantsWith(s.participants, null, options.close);
    const folded = foldCallLog(callFactsOf({ events: s.events, participants: kept }));
    return {
      participants: participantsWith(kept, folded),
      startedAt: folded.startedAt,
      endedAt: folded.endedAt,
      overlapSeconds: folded.overlapSeconds,
      folded,
    };
  });
  return { booking, callLogId: state.callLogId, outcome: state.outcome, folded: content.folded };
}
