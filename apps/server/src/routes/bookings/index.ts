import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCancelBooking } from './cancel-booking.ts';
import { registerCancelFamilyBooking } from './cancel-family-booking.ts';
import { registerCancelSeries } from './cancel-series.ts';
import { registerCreateAdhocBooking } from './create-adhoc-booking.ts';
import { registerCreateBooking } from './create-booking.ts';
import { registerCreateFamilyBooking } from './create-family-booking.ts';
import { registerCreateSeries } from './create-series.ts';
import { registerGetAvailableSlots } from './get-available-slots.ts';
import { registerGetBooking } from './get-booking.ts';
import { registerGetFamilyAvailableSlots } from './get-family-available-slots.ts';
import { registerListBookings } from './list-bookings.ts';
import { registerListFamilyBookings } from './list-family-bookings.ts';
import { registerRescheduleBooking } from './reschedule-booking.ts';
import { registerRescheduleSeries } from './reschedule-series.ts';

/** Bookings: slots, booking, moving and cancelling calls, standing series and "call now"; the family's own. */
export function registerBookingRoutes(app: OpenAPIHono<AppEnv>): void {
  // Fixed paths before `/api/bookings/{id}`.
  registerGetAvailableSlots(app);
  registerListBookings(app);
  registerCreateBooking(app);
  registerCreateAdhocBooking(app);
  registerCreateSeries(app);
  registerRescheduleSeries(app);
  registerCancelSeries(app);
  registerGetBooking(app);
  registerRescheduleBooking(app);
  registerCancelBooking(app);
  registerGetFamilyAvailableSlots(app);
  registerListFamilyBookings(app);
  registerCreateFamilyBooking(app);
  registerCancelFamilyBooking(app);
}
