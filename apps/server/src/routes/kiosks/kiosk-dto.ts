import type { Kiosk } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { KioskSchema } from './kiosk-schemas.ts';

/** The shape the routes answer with; `now` decides whether a pending code is still usable. */
export function toKioskDto(kiosk: Kiosk, now: Date): z.infer<typeof KioskSchema> {
  return {
    id: kiosk.id,
    name: kiosk.name,
    enabled: kiosk.enabled,
    status: kiosk.status,
    enrolmentExpiresAt: kiosk.enrolmentExpiresAt?.toISOString() ?? null,
    enrolmentCodeActive: kiosk.enrolmentExpiresAt !== null && kiosk.enrolmentExpiresAt > now,
    enrolledAt: kiosk.enrolledAt?.toISOString() ?? null,
    revokedAt: kiosk.revokedAt?.toISOString() ?? null,
    lastSeenAt: kiosk.lastSeenAt?.toISOString() ?? null,
    appVersion: kiosk.appVersion,
    audioState: kiosk.audioState,
    audioCheckedAt: kiosk.audioCheckedAt?.toISOString() ?? null,
    createdAt: kiosk.createdAt.toISOString(),
  };
}
