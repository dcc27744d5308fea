import { z } from '@hono/zod-openapi';
import { idOf, PhoneSchema, TimeZoneSchema, textOf } from '../common-schemas.ts';

const RELATIONS = ['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other'] as const;

/** Where a contact stands: waiting for approval, approved (may be booked and call), or revoked. */
export const CONTACT_STATUSES = ['pending', 'approved', 'revoked'] as const;

/** A contact as lists show it: the phone number masked. */
export const ContactSummarySchema = z
  .object({
    id: z.string().openapi({ example: 'cnt_7m2k9x4q1b8c0d5e' }),
    householdId: z.string(),
    name: z.string().openapi({ example: '李秀英' }),
    relation: z.enum(RELATIONS),
    phoneMasked: z.string().openapi({ example: '+86 138****5678' }),
    city: z.string().nullable().openapi({ example: '东莞' }),
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    language: z.enum(['zh-CN', 'en']),
    channel: z.enum(['video', 'phone']),
    phoneFallback: z.boolean(),
    smsOptOut: z.boolean(),
    status: z.enum(CONTACT_STATUSES),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().datetime().nullable(),
    revokedAt: z.string().datetime().nullable(),
    consentRecordedBy: z.string().nullable(),
    consentRecordedAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('ContactSummary');

/** A contact with the whole number: only `GET /api/contacts/{id}` answers with it (audited). */
export const ContactSchema = ContactSummarySchema.extend({
  phone: z.string().openapi({ example: '+8613812345678' }),
}).openapi('Contact');

/** Body of `POST /api/contacts`. */
export const CreateContactSchema = z
  .object({
    householdId: idOf('hsh'),
    name: textOf(40).openapi({ example: '李秀英' }),
    relation: z.enum(RELATIONS),
    phone: PhoneSchema,
    city: textOf(40).nullable().optional(),
    timeZone: TimeZoneSchema.optional().openapi({ description: "The contact's own zone. Default Asia/Shanghai." }),
    language: z.enum(['zh-CN', 'en']).optional().openapi({ description: 'Default zh-CN.' }),
    channel: z.enum(['video', 'phone']).optional().openapi({ description: 'Default video.' }),
    phoneFallback: z
      .boolean()
      .optional()
      .openapi({ description: 'Ring their phone when they have not joined a video call. Default true.' }),
    smsOptOut: z.boolean().optional().openapi({ description: 'Send no SMS. Default false.' }),
  })
  .strict()
  .openapi('CreateContact');

/** Body of `PATCH /api/contacts/{id}`: any subset of the create fields except the household. */
export const UpdateContactSchema = CreateContactSchema.omit({ householdId: true })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'validation.invalid')
  .openapi('UpdateContact');
