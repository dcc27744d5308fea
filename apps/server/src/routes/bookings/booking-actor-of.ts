import type { BookingActor } from '@affection/bookings';
import type { FamilyPrincipal, StaffPrincipal } from '../../auth/principal.ts';

/** The booking actor a signed-in caller changes bookings as: a staff member, or a family's own contact. */
export function bookingActorOf(principal: StaffPrincipal | FamilyPrincipal): BookingActor {
  return principal.kind === 'staff'
    ? { kind: 'staff', staffId: principal.staffId, role: principal.role }
    : { kind: 'family', contactId: principal.contactId };
}
