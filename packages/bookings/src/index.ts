// The booking layer: every booking operation as operation(deps, actor, input) -> outcome; the only caller of the
// booking writes.
export { type AddSecondContactInput, addSecondContact } from './add-second-contact.ts';
export { type AnswerProposalInput, answerProposal } from './answer-proposal.ts';
export { type BookAdhocInput, bookAdhoc } from './book-adhoc.ts';
export { type BookSeriesInput, bookSeries } from './book-series.ts';
export { type BookSlotInput, bookSlot } from './book-slot.ts';
export type { BookingActor } from './booking-actor.ts';
export { withBookableKiosks } from './booking-context.ts';
export type { BookingDeps } from './booking-deps.ts';
export {
  type BookingEvents,
  type BookingVerb,
  bookingAuditDetails,
  type CreateBookingEventsOptions,
  createBookingEvents,
  type TransactionBookingEvents,
} from './booking-events.ts';
export { BOOKING_REFUSALS, type BookingOutcome, type BookingRefusal } from './booking-outcome.ts';
export { type BookingOutsideHours, bookingsOutsideHours, type OpeningHours } from './bookings-outside-hours.ts';
export { type CancelBookingInput, cancelBooking } from './cancel-booking.ts';
export { type CancelSeriesInput, cancelSeries } from './cancel-series.ts';
export {
  type ChangeOpeningHoursInput,
  changeOpeningHours,
  type OnBookingsChoice,
  type OpeningChangeOutcome,
} from './change-opening-hours.ts';
export { type CompleteByPhoneInput, completeByPhone, DONE_BY_PHONE_AUDIT_ACTION } from './complete-by-phone.ts';
export {
  type ConfirmProposalsInput,
  confirmProposals,
  type ProposalConfirmation,
} from './confirm-proposals.ts';
export { type DeclineProposalInput, declineProposal } from './decline-proposal.ts';
export { type EndCallInput, endCall } from './end-call.ts';
export { CALL_ROOM_OPENS_BEFORE_MS, type EndCallNowInput, endCallNow } from './end-call-now.ts';
export { EXTEND_CALL_MINUTES, type ExtendCallInput, extendCall } from './extend-call.ts';
export { type FindSlotsInput, type FoundSlots, findSlots } from './find-slots.ts';
export type { LiveCallOutcome, LiveCallRefusal } from './live-call-outcome.ts';
export { type MoveBookingInput, moveBooking } from './move-booking.ts';
export { type MoveSeriesInput, moveSeries } from './move-series.ts';
export { type NewTimeOffer, offerNewTime } from './offer-new-time.ts';
export { type ProposeBookingInput, proposeBooking } from './propose-booking.ts';
export type { SeriesResult, SkippedOccurrence } from './series-result.ts';
export {
  type CreateSlotReadModelOptions,
  createSlotReadModel,
  type SlotReadModel,
  type SlotReadModelStats,
} from './slot-read-model.ts';
export { withBookingTransaction } from './with-booking-transaction.ts';
