import { z } from '@hono/zod-openapi';
import { TimeZoneSchema, textOf } from '../common-schemas.ts';

/** What Alibaba Cloud accepts as an SMS signature's characters: Chinese characters, letters and digits. */
const SMS_SIGN_NAME = /^[\p{Script=Han}A-Za-z0-9]+$/u;

/** A Home's settings as staff see them. */
export const HomeSchema = z
  .object({
    id: z.string().openapi({ example: 'hom_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '石门乡中心小学留守儿童之家' }),
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    slotMinutes: z.number().int().openapi({ example: 15 }),
    bufferMinutes: z.number().int().openapi({ example: 5 }),
    weeklyQuotaPerChild: z.number().int().openapi({ example: 1 }),
    bookingHorizonDays: z.number().int().openapi({ example: 14 }),
    minNoticeMinutes: z.number().int().openapi({ example: 60 }),
    noContactAlertDays: z.number().int().openapi({ example: 14 }),
    parentJoinWaitMinutes: z.number().int().openapi({ example: 2 }),
    kioskWaitMinutes: z.number().int().openapi({ example: 3 }),
    smsSignName: z.string().nullable().openapi({
      example: '石门小学',
      description: "The Home's own registered SMS signature; null: the installation's",
    }),
    createdAt: z.string().datetime(),
  })
  .openapi('Home');

/**
 * Body of `PATCH /api/home`: any subset of the settings. The ranges are the database's own
 * checks (`homes_*_range`), so a value the API accepts is one the database stores.
 */
export const UpdateHomeSchema = z
  .object({
    name: textOf(60),
    timeZone: TimeZoneSchema,
    slotMinutes: z.number().int().min(1).max(120).openapi({ description: 'Length of one call, 1–120 minutes' }),
    bufferMinutes: z.number().int().min(0).max(60).openapi({ description: 'Gap after each call, 0–60 minutes' }),
    weeklyQuotaPerChild: z.number().int().min(0).max(14).openapi({ description: 'Calls per child per week, 0–14' }),
    bookingHorizonDays: z.number().int().min(1).max(90).openapi({ description: 'How far ahead, 1–90 days' }),
    minNoticeMinutes: z
      .number()
      .int()
      .min(0)
      .max(10_080)
      .openapi({ description: 'How soon a slot may start, 0–10080 minutes (a week)' }),
    noContactAlertDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .openapi({ description: 'Alert after this many days without a call, 1–365' }),
    parentJoinWaitMinutes: z
      .number()
      .int()
      .min(1)
      .max(30)
      .openapi({ description: '"Call now": ring a parent who has not joined after this many minutes, 1–30' }),
    kioskWaitMinutes: z
      .number()
      .int()
      .min(1)
      .max(30)
      .openapi({ description: 'The longest a child waits at the kiosk for the parent, 1–30 minutes' }),
    smsSignName: z
      .string()
      .trim()
      .min(2, 'validation.sms_sign_name')
      .max(12, 'validation.sms_sign_name')
      .regex(SMS_SIGN_NAME, 'validation.sms_sign_name')
      .nullable()
      .openapi({
        description:
          "The Home's own SMS signature (签名) as registered with Alibaba Cloud: 2–12 Chinese characters, letters or " +
          "digits; null to use the installation's",
      }),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'validation.invalid')
  .openapi('UpdateHome');
