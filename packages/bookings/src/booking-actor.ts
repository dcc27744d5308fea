import type { StaffRole } from '@affection/core';

/**
 * Who changes a booking, as the audit trail records it:
 * - `staff`: a teacher or admin in the console;
 * - `family`: a signed-in contact on the family page, or a parent who answered by SMS or through the voice menu
 *   (`via`; absent for the family page);
 * - `system`: one of our own jobs (`job` names it: the weekly proposals, the end of a call).
 */
export type BookingActor =
  | { kind: 'staff'; staffId: string; role: StaffRole }
  | { kind: 'family'; contactId: string; via?: 'sms' | 'voice' }
  | { kind: 'system'; job: 'weekly-proposals' | 'call-end' };
