import type { MessageKey } from '@affection/ui';

/** A number setting of the Home, with the range the API (and the database) enforces. */
export interface NumberSetting {
  name:
    | 'slotMinutes'
    | 'bufferMinutes'
    | 'minNoticeMinutes'
    | 'bookingHorizonDays'
    | 'weeklyQuotaPerChild'
    | 'noContactAlertDays'
    | 'parentJoinWaitMinutes'
    | 'kioskWaitMinutes';
  labelKey: MessageKey;
  /** The range, as `PATCH /api/home` checks it. */
  min: number;
  max: number;
  /** `minutes`, `days` or `calls`: the unit in the hint. */
  unit: 'minutes' | 'days' | 'calls';
}

/** The booking settings in the order the screen shows them. */
export const NUMBER_SETTINGS: readonly NumberSetting[] = [
  { name: 'slotMinutes', labelKey: 'console.settings.slot-minutes', min: 1, max: 120, unit: 'minutes' },
  { name: 'bufferMinutes', labelKey: 'console.settings.buffer-minutes', min: 0, max: 60, unit: 'minutes' },
  { name: 'minNoticeMinutes', labelKey: 'console.settings.min-notice-minutes', min: 0, max: 10_080, unit: 'minutes' },
  { name: 'bookingHorizonDays', labelKey: 'console.settings.booking-horizon-days', min: 1, max: 90, unit: 'days' },
  { name: 'weeklyQuotaPerChild', labelKey: 'console.settings.weekly-quota', min: 0, max: 14, unit: 'calls' },
  { name: 'noContactAlertDays', labelKey: 'console.settings.no-contact-days', min: 1, max: 365, unit: 'days' },
  {
    name: 'parentJoinWaitMinutes',
    labelKey: 'console.settings.parent-join-wait-minutes',
    min: 1,
    max: 30,
    unit: 'minutes',
  },
  { name: 'kioskWaitMinutes', labelKey: 'console.settings.kiosk-wait-minutes', min: 1, max: 30, unit: 'minutes' },
];

/**
 * The time zones a Home picks from: China's first (Beijing time), then the zones of the region a Home
 * of this kind may be in. A Home already on another zone keeps it in the list.
 */
export const TIME_ZONES: readonly { zone: string; labelKey: MessageKey }[] = [
  { zone: 'Asia/Shanghai', labelKey: 'console.settings.zone.shanghai' },
  { zone: 'Asia/Urumqi', labelKey: 'console.settings.zone.urumqi' },
  { zone: 'Asia/Hong_Kong', labelKey: 'console.settings.zone.hong-kong' },
  { zone: 'Asia/Macau', labelKey: 'console.settings.zone.macau' },
  { zone: 'Asia/Taipei', labelKey: 'console.settings.zone.taipei' },
  { zone: 'UTC', labelKey: 'console.settings.zone.utc' },
];
