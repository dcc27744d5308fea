import { z } from '@hono/zod-openapi';
import { VOICE_PIN_PATTERN } from '../../auth/voice-pin.ts';

/**
 * Body of `PUT /api/contacts/{id}/pin` and `PUT /api/family/pin`: 4 to 6 digits. Too short and too
 * long say how many digits; anything else (letters, spaces, control characters) says the format.
 */
export const SetVoicePinSchema = z
  .object({
    pin: z
      .string()
      .min(4)
      .max(6)
      .regex(VOICE_PIN_PATTERN)
      .openapi({ example: '2580', description: '4 to 6 digits; only a hash is kept, it is never shown again.' }),
  })
  .strict()
  .openapi('SetVoicePin');

/** Whether a contact has a phone PIN (never the PIN or its hash). */
export const VoicePinStatusSchema = z
  .object({
    contactId: z.string().openapi({ example: 'cnt_7m2k9x4q1b8c0d5e' }),
    isSet: z.boolean(),
    setBy: z.enum(['staff', 'family']).nullable(),
    setAt: z.string().datetime().nullable(),
    lockedUntil: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: 'After too many wrong PINs the voice menu asks for none until then.' }),
  })
  .openapi('VoicePinStatus');
