import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateEnrolmentLink } from './create-enrolment-link.ts';
import { registerEnrolFamilyDevice } from './enrol-family-device.ts';
import { createFamilyThrottleSource, type FamilyThrottleOptions } from './family-throttle.ts';
import { registerGetFamilyAvailability } from './get-family-availability.ts';
import { registerGetFamilyMe } from './get-family-me.ts';
import { registerJoinFamilyCall } from './join-family-call.ts';
import { registerListEnrolmentLinks } from './list-enrolment-links.ts';
import { registerListFamilyContacts } from './list-family-contacts.ts';
import { registerListFamilyDevices } from './list-family-devices.ts';
import { registerReplaceFamilyAvailability } from './replace-family-availability.ts';
import { registerRevokeEnrolmentLink } from './revoke-enrolment-link.ts';
import { registerRevokeFamilyDevice } from './revoke-family-device.ts';
import { registerSendFamilyCode } from './send-family-code.ts';
import { registerSetFamilyPin } from './set-family-pin.ts';
import { registerSignOutFamily } from './sign-out-family.ts';
import { registerStreamFamily } from './stream-family.ts';
import { registerVerifyFamilyCode } from './verify-family-code.ts';

/**
 * The parents' page: signing a phone in (the contact card's QR link, or phone number + SMS code),
 * what the page shows, joining a call, signing out; and for staff, the QR links and signed-in phones
 * of a contact. The throttle is made once per app, on the app's Redis client.
 */
export function registerFamilyRoutes(app: OpenAPIHono<AppEnv>, throttle: FamilyThrottleOptions = {}): void {
  const throttleOf = createFamilyThrottleSource(throttle);
  registerCreateEnrolmentLink(app);
  registerListEnrolmentLinks(app);
  registerRevokeEnrolmentLink(app);
  registerListFamilyDevices(app);
  registerRevokeFamilyDevice(app);
  registerEnrolFamilyDevice(app, throttleOf);
  registerSendFamilyCode(app, throttleOf);
  registerVerifyFamilyCode(app, throttleOf);
  registerGetFamilyMe(app);
  registerStreamFamily(app);
  registerJoinFamilyCall(app);
  registerSignOutFamily(app);
  registerSetFamilyPin(app);
  registerGetFamilyAvailability(app);
  registerReplaceFamilyAvailability(app);
  registerListFamilyContacts(app);
}
