import type { VoicePinStatus } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import type { VoicePinStatusSchema } from './voice-pin-schemas.ts';

/** The status shape of a contact's PIN row, or of its absence. */
export function toVoicePinStatusDto(
  contactId: string,
  status: VoicePinStatus | null,
  now: Date,
): z.infer<typeof VoicePinStatusSchema> {
  const lockedUntil = status?.lockedUntil && status.lockedUntil > now ? status.lockedUntil.toISOString() : null;
  return {
    contactId,
    isSet: status !== null,
    setBy: status?.setByKind ?? null,
    setAt: status?.setAt.toISOString() ?? null,
    lockedUntil,
  };
}
