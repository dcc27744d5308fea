import type { FamilyDeviceSummary, FamilyEnrolmentRecord } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import type { ACCESS_STATUSES, EnrolmentLinkSchema, FamilyDeviceSchema } from './family-schemas.ts';

function statusOf(item: { expiresAt: Date; revokedAt: Date | null }, now: Date): (typeof ACCESS_STATUSES)[number] {
  if (item.revokedAt) return 'revoked';
  return item.expiresAt <= now ? 'expired' : 'active';
}

/** The shape staff see. */
export function toEnrolmentLinkDto(link: FamilyEnrolmentRecord, now: Date): z.infer<typeof EnrolmentLinkSchema> {
  return {
    id: link.id,
    contactId: link.contactId,
    status: statusOf(link, now),
    createdBy: link.createdBy,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    revokedAt: link.revokedAt?.toISOString() ?? null,
  };
}

/** The shape staff see. */
export function toFamilyDeviceDto(device: FamilyDeviceSummary, now: Date): z.infer<typeof FamilyDeviceSchema> {
  return {
    id: device.id,
    contactId: device.contactId,
    via: device.via,
    status: statusOf(device, now),
    createdAt: device.createdAt.toISOString(),
    lastSeenAt: device.lastSeenAt.toISOString(),
    expiresAt: device.expiresAt.toISOString(),
    revokedAt: device.revokedAt?.toISOString() ?? null,
  };
}
