import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerApproveContact } from './approve-contact.ts';
import { registerClearContactPin } from './clear-contact-pin.ts';
import { registerCreateContact } from './create-contact.ts';
import { registerGetContact } from './get-contact.ts';
import { registerGetContactPin } from './get-contact-pin.ts';
import { registerListContacts } from './list-contacts.ts';
import { registerRecordConsent } from './record-consent.ts';
import { registerRevokeContact } from './revoke-contact.ts';
import { registerSetContactPin } from './set-contact-pin.ts';
import { registerUpdateContact } from './update-contact.ts';

/** The people who call a household's children. */
export function registerContactsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListContacts(app);
  registerCreateContact(app);
  registerGetContact(app);
  registerUpdateContact(app);
  // Revoke before approve: a walk over every route (the access test) leaves a contact approved.
  registerRevokeContact(app);
  registerApproveContact(app);
  registerRecordConsent(app);
  registerGetContactPin(app);
  registerSetContactPin(app);
  registerClearContactPin(app);
}
