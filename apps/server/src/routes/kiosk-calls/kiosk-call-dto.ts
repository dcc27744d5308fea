import type { KioskCallRecord } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import { kioskChildPhotoUrlOf } from '../children/child-photo-url.ts';
import { callWindowState } from './call-window.ts';
import { INITIALS_COLOURS, type KioskCallSchema } from './kiosk-call-schemas.ts';

/** The same colour for a child every time (from the id, not the name). */
export function initialsColourOf(childId: string): string {
  let hash = 0;
  for (const char of childId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return INITIALS_COLOURS[hash % INITIALS_COLOURS.length]!;
}

/** The shape the routes answer with. */
export function toKioskCallDto(call: KioskCallRecord, kioskId: string, now: Date): z.infer<typeof KioskCallSchema> {
  return {
    bookingId: call.bookingId,
    start: call.start.toISOString(),
    end: call.end.toISOString(),
    isOpen: callWindowState(call, now) === 'open',
    children: call.children.map((child) => ({
      id: child.id,
      givenName: child.givenName,
      colour: initialsColourOf(child.id),
      hasPhoto: child.photoVersion !== null,
      photoUrl: kioskChildPhotoUrlOf(child.id, child.photoVersion),
    })),
    callers: call.callers,
    kiosk: { id: call.kioskId, name: call.kioskName, isThisKiosk: call.kioskId === kioskId },
  };
}
