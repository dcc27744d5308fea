import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerAddFamilySecondContact } from './add-family-second-contact.ts';
import { registerAddSecondContact } from './add-second-contact.ts';
import { registerAnswerFamilyProposal } from './answer-family-proposal.ts';
import { registerCancelBooking } from './cancel-booking.ts';
import { registerCancelFamilyBooking } from './cancel-family-booking.ts';
import { registerCancelSeries } from './cancel-series.ts';
import { registerConfirmBooking } from './confirm-booking.ts';
import { registerConfirmProposals } from './confirm-proposals.ts';
import { registerCreateAdhocBooking } from './create-adhoc-booking.ts';
import { registerCreateBooking } from './create-booking.ts';
import { registerCreateFamilyBooking } from './create-family-booking.ts';
import { registerCreateSeries } from './create-series.ts';
import { registerDeclineBooking } from './decline-booking.ts';
import { registerGetAvailableSlots } from './get-available-slots.ts';
import { registerGetBooking } from './get-booking.ts';
import { registerGetCalendar } from './get-calendar.ts';
import { registerGetFamilyAvailableSlots } from './get-family-available-slots.ts';
import { registerListBookings } from './list-bookings.ts';
import { registerListFamilyBookings } from './list-family-bookings.ts';
import { registerListProposals } from './list-proposals.ts';
import { registerMoveFamilyBooking } from './move-family-booking.ts';
import { registerRescheduleBooking } from './reschedule-booking.ts';
import { registerRescheduleSeries } from './reschedule-series.ts';
import { registerSearchHouseholds } from './search-households.ts';

/**
 * Bookings: slots, booking, moving and cancelling calls, standing series and "call now", the calendar, the weekly
 * proposals (confirm, decline, confirm all) and the household search; the family's own.
 */
export function registerBookingRoutes(app: OpenAPIHono<AppEnv>): void {
  // Fixed paths before `/api/bookings/{id}`.
  registerGetAvailableSlots(app);
  registerListBookings(app);
  registerCreateBooking(app);
  registerCreateAdhocBooking(app);
  registerCreateSeries(app);
  registerRescheduleSeries(app);
  registerCancelSeries(app);
  registerGetCalendar(app);
  registerSearchHouseholds(app);
  registerListProposals(app);
  registerConfirmProposals(app);
  registerGetBooking(app);
  registerRescheduleBooking(app);
  registerCancelBooking(app);
  registerConfirmBooking(app);
  registerDeclineBooking(app);
  registerAddSecondContact(app);
  registerGetFamilyAvailableSlots(app);
  registerListFamilyBookings(app);
  registerCreateFamilyBooking(app);
  registerCancelFamilyBooking(app);
  registerMoveFamilyBooking(app);
  registerAnswerFamilyProposal(app);
  registerAddFamilySecondContact(app);
}
