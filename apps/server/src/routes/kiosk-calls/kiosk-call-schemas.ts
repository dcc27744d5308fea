import type { KioskCallRecord } from '@affection/db';
import { z } from '@hono/zod-openapi';
import { kioskChildPhotoUrlOf } from '../children/child-photo-url.ts';
import { callWindowState } from './call-window.ts';

/**
 * Colours for a child's initials when there is no photo: dark enough for white text (contrast
 * 4.5:1 or more), distinct from each other.
 */
export const INITIALS_COLOURS = [
  '#1565C0',
  '#2E7D32',
  '#AD1457',
  '#6A1B9A',
  '#C62828',
  '#00695C',
  '#4E342E',
  '#BF360C',
  '#283593',
  '#37474F',
] as const;

/** The same colour for a child every time (from the id, not the name). */
export function initialsColourOf(childId: string): string {
  let hash = 0;
  for (const char of childId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return INITIALS_COLOURS[hash % INITIALS_COLOURS.length]!;
}

const KioskCallChildSchema = z.object({
  id: z.string().openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }),
  givenName: z.string().openapi({ example: '小明', description: 'First name only' }),
  colour: z.string().openapi({ example: '#1565C0', description: 'Background for the initials' }),
  hasPhoto: z.boolean(),
  photoUrl: z.string().nullable().openapi({
    example: '/api/kiosk/children/chd_7m2k9x4q1b8c0d5e/photo?v=3f2a9c0d1b7e4a65',
    description:
      "The child's photo, fetched with the kiosk's device token; null when there is none (show the initials)",
  }),
});

const KioskCallerSchema = z.object({
  relation: z.enum(['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other']).openapi({
    description: 'Who calls, as the child says it (妈妈, 爸爸…); never a name or a number',
  }),
  channel: z.enum(['video', 'phone']).openapi({ description: '`phone`: the caller is rung on an ordinary phone' }),
});

/** A call as the kiosk sees it. */
export const KioskCallSchema = z
  .object({
    bookingId: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    start: z.string().datetime(),
    end: z.string().datetime(),
    isOpen: z.boolean().openapi({ description: 'Joinable now: from 5 minutes before the start to the end' }),
    children: z.array(KioskCallChildSchema),
    callers: z.array(KioskCallerSchema).openapi({ description: 'The booked contact first' }),
    kiosk: z.object({
      id: z.string(),
      name: z.string().openapi({ example: '一号机' }),
      isThisKiosk: z.boolean(),
    }),
  })
  .openapi('KioskCall');

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
