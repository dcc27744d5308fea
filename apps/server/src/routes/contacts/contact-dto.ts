import { type Contact, maskPhone } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { CONTACT_STATUSES, ContactSchema, ContactSummarySchema } from './contact-schemas.ts';

/** The status a contact's approval fields give. */
export function contactStatus(contact: Pick<Contact, 'approvedAt' | 'revokedAt'>): (typeof CONTACT_STATUSES)[number] {
  if (contact.revokedAt) return 'revoked';
  return contact.approvedAt ? 'approved' : 'pending';
}

/** The list shape: everything but the whole number. */
export function toContactSummaryDto(contact: Contact): z.infer<typeof ContactSummarySchema> {
  return {
    id: contact.id,
    householdId: contact.householdId,
    name: contact.name,
    relation: contact.relation,
    phoneMasked: maskPhone(contact.phone),
    city: contact.city,
    timeZone: contact.timeZone,
    language: contact.language,
    channel: contact.channel,
    phoneFallback: contact.phoneFallback,
    smsOptOut: contact.smsOptOut,
    status: contactStatus(contact),
    approvedBy: contact.approvedBy,
    approvedAt: contact.approvedAt?.toISOString() ?? null,
    revokedAt: contact.revokedAt?.toISOString() ?? null,
    consentRecordedBy: contact.consentRecordedBy,
    consentRecordedAt: contact.consentRecordedAt?.toISOString() ?? null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}

/** The detail shape, with the whole number. Audit the read. */
export function toContactDto(contact: Contact): z.infer<typeof ContactSchema> {
  return { ...toContactSummaryDto(contact), phone: contact.phone };
}
