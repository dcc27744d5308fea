import { z } from '@hono/zod-openapi';

/** Whether a link or a phone still works. */
export const ACCESS_STATUSES = ['active', 'expired', 'revoked'] as const;

/** An enrolment link as staff see it later: never its token (we keep only a hash). */
export const EnrolmentLinkSchema = z
  .object({
    id: z.string().openapi({ example: 'fen_7m2k9x4q1b8c0d5e' }),
    contactId: z.string(),
    status: z.enum(ACCESS_STATUSES),
    createdBy: z.string().nullable(),
    createdAt: z.string().datetime(),
    expiresAt: z.string().datetime(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi('EnrolmentLink');

/** A new enrolment link, with the address to print as the contact card's QR code (shown once). */
export const NewEnrolmentLinkSchema = EnrolmentLinkSchema.extend({
  url: z.string().openapi({
    example: 'https://affection.example.org/family/enrol/3q2-7Zr…',
    description: 'PUBLIC_URL/family/enrol/<token>: print it as a QR code; it is not shown again',
  }),
}).openapi('NewEnrolmentLink');

/** A parent's signed-in phone as staff see it. */
export const FamilyDeviceSchema = z
  .object({
    id: z.string().openapi({ example: 'fdv_7m2k9x4q1b8c0d5e' }),
    contactId: z.string(),
    via: z.enum(['enrolment', 'code']).openapi({ description: 'QR code of the contact card, or SMS code' }),
    status: z.enum(ACCESS_STATUSES),
    createdAt: z.string().datetime(),
    lastSeenAt: z.string().datetime(),
    expiresAt: z.string().datetime(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi('FamilyDevice');

/** What a phone gets when it signs in: its token, kept in the page's storage. */
export const FamilyDeviceTokenSchema = z
  .object({
    deviceToken: z.string().openapi({ description: 'Send as `Authorization: Family <token>`; shown once' }),
    expiresAt: z.string().datetime(),
  })
  .openapi('FamilyDeviceToken');
