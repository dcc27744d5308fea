import { AppError, type Contact, isErasedContactPhone } from '@affection/core';
import { getContact } from '@affection/db';
import type { Context } from 'hono';
import type { AppEnv } from '../../services.ts';

/** A contact of the caller's Home that is not an erasure's placeholder, or a 404 (also for another Home's contact). */
export async function requireContact(c: Context<AppEnv>, homeId: string, contactId: string): Promise<Contact> {
  const contact = await getContact(c.get('services').database.db, homeId, contactId);
  if (!contact || isErasedContactPhone(contact.phone)) throw new AppError('not-found', 'No such contact in your Home.');
  return contact;
}
