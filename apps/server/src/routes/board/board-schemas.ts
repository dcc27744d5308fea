import { z } from '@hono/zod-openapi';

/** A child on a board call. */
export const BoardChildSchema = z
  .object({
    id: z.string().openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }),
    givenName: z.string().openapi({ example: '小明' }),
    photoUrl: z.string().nullable().openapi({ description: 'The kiosk photo, for signed-in staff; null when none' }),
  })
  .openapi('BoardChild');

/** One call of the day on a kiosk's lane. */
export const BoardCallSchema = z
  .object({
    bookingId: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    version: z.number().int().openapi({ description: 'Send it back with an action: refused if the call changed' }),
    status: z.enum(['proposed', 'confirmed', 'in-progress', 'completed', 'missed', 'cancelled', 'declined']),
    start: z.string().openapi({ format: 'date-time' }),
    end: z.string().openapi({ format: 'date-time' }),
    children: z.array(BoardChildSchema),
    contact: z
      .object({
        name: z.string().openapi({ example: '王芳' }),
        relation: z.string().openapi({ example: 'mother' }),
        channel: z.enum(['video', 'phone']),
      })
      .nullable(),
    state: z.enum(['upcoming', 'room-open', 'child-in', 'parent-in', 'ringing', 'ended', 'cancelled']),
    parentChannel: z.enum(['video', 'phone']).nullable(),
    waiting: z.boolean().openapi({ description: 'A child has been in the room without a parent for over a minute' }),
    childInSince: z.string().nullable().openapi({ format: 'date-time' }),
    outcome: z.enum(['completed', 'parent-no-show', 'child-no-show', 'failed', 'by-phone']).nullable(),
    minutes: z.number().int().nullable(),
    voiceNotice: z
      .object({
        status: z.enum(['pending', 'placing', 'placed', 'answered', 'not-answered', 'busy', 'failed']),
        provider: z.string().openapi({ example: 'aliyun', description: '`outbox` when no provider is configured' }),
        coming: z.boolean().openapi({ description: 'The parent pressed 1 ("coming now") in the voice notification' }),
      })
      .nullable()
      .openapi({
        description:
          "The voice notification call (孩子在学校等您…) placed to the call's contact who had not joined; null when none",
      }),
    actions: z
      .object({
        ring: z.boolean(),
        end: z.boolean(),
        extend: z.boolean(),
        doneByPhone: z.boolean(),
        cancel: z.boolean(),
      })
      .openapi({ description: 'What a teacher may do with the call now (the route still decides)' }),
  })
  .openapi('BoardCall');

/** The whole board. */
export const BoardSchema = z
  .object({
    date: z.string().openapi({ example: '2026-09-07', description: "Today in the Home's zone" }),
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    now: z.string().openapi({ format: 'date-time', description: "The server's clock" }),
    homeName: z.string(),
    canRingPhones: z.boolean().openapi({ description: 'Parents can be rung through the phone line' }),
    onDuty: z.array(z.object({ staffId: z.string(), displayName: z.string() })),
    opening: z.array(z.object({ start: z.string(), end: z.string() })).openapi({
      description: "Today's opening hours (UTC instants; empty when closed)",
    }),
    lanes: z.array(
      z.object({
        kioskId: z.string(),
        kioskName: z.string().openapi({ example: '1号机' }),
        enabled: z.boolean(),
        calls: z.array(BoardCallSchema),
      }),
    ),
    alerts: z.object({
      days: z.number().int(),
      children: z.array(
        z.object({
          childId: z.string(),
          familyName: z.string(),
          givenName: z.string(),
          daysWithoutContact: z.number().int(),
          lastCallAt: z.string().nullable(),
        }),
      ),
    }),
  })
  .openapi('Board');

/** The board as the API answers it. */
export type BoardDto = z.infer<typeof BoardSchema>;

/** Body of the board's call actions: the version the board showed (refused if the call changed meanwhile). */
export const BoardActionSchema = z
  .object({ version: z.number().int().min(1).optional() })
  .strict()
  .openapi('BoardAction');

/** Body of "done by phone". */
export const DoneByPhoneSchema = z
  .object({
    minutes: z.number().int().min(0).max(120).openapi({ example: 8, description: 'Minutes talked on the phone' }),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .openapi('DoneByPhone');

/** What a board action answers: the call as the board now shows it. */
export const BoardActionResultSchema = z
  .object({ bookingId: z.string(), version: z.number().int(), status: z.string(), end: z.string() })
  .openapi('BoardActionResult');
