import { KIOSK_AUDIO_STATES } from '@affection/core';
import { z } from '@hono/zod-openapi';
import { textOf } from '../common-schemas.ts';

/** A kiosk as an admin sees it. */
export const KioskSchema = z
  .object({
    id: z.string().openapi({ example: 'kio_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '一号机' }),
    enabled: z.boolean().openapi({ description: 'Whether the kiosk takes bookings' }),
    status: z.enum(['awaiting-enrolment', 'enrolled', 'revoked']),
    enrolmentExpiresAt: z.string().datetime().nullable(),
    enrolmentCodeActive: z
      .boolean()
      .openapi({ description: 'An enrolment code was issued and has not expired or been used yet' }),
    enrolledAt: z.string().datetime().nullable(),
    revokedAt: z.string().datetime().nullable(),
    lastSeenAt: z.string().datetime().nullable().openapi({
      description: 'When the enrolled kiosk last reached the server (any request with its token; kept to the minute)',
    }),
    appVersion: z
      .string()
      .nullable()
      .openapi({ example: '1.4.0', description: 'The kiosk app version it last sent (`X-Kiosk-Version`)' }),
    audioState: z
      .enum(KIOSK_AUDIO_STATES)
      .nullable()
      .openapi({
        description:
          'Whether the kiosk can play sound, as it last sent (`X-Kiosk-Audio`): `ok`, `no-output`, `locked` (no tap yet ' +
          'since the page started); null when it never said',
      }),
    audioCheckedAt: z.string().datetime().nullable().openapi({ description: 'When the sound state was last written' }),
    createdAt: z.string().datetime(),
  })
  .openapi('Kiosk');

/** A kiosk with its new one-time enrolment code: shown once, never stored in clear. */
export const KioskWithCodeSchema = z
  .object({
    kiosk: KioskSchema,
    enrolmentCode: z.string().openapi({ example: '48213907', description: '8 digits, single use' }),
    enrolmentExpiresAt: z.string().datetime(),
  })
  .openapi('KioskWithEnrolmentCode');

/** Body of `POST /api/kiosks`. */
export const CreateKioskSchema = z
  .object({ name: textOf(40) })
  .strict()
  .openapi('CreateKiosk');

/** Body of `PATCH /api/kiosks/{id}`. */
export const UpdateKioskSchema = z
  .object({ name: textOf(40), enabled: z.boolean() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'validation.invalid')
  .openapi('UpdateKiosk');
