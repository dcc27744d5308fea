import { z } from '@hono/zod-openapi';

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
