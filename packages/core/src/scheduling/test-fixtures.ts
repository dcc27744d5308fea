import type { HomeCalendar, HomeSettings, SchedulingBooking, SchedulingOpeningRule, Weekday } from './types.ts';

/** Test data shared by this folder's tests: a Home in Shanghai open at noon and after lessons, Monday to Friday. */
export const shanghaiSettings: HomeSettings = {
  timeZone: 'Asia/Shanghai',
  slotMinutes: 15,
  bufferMinutes: 5,
  weeklyQuotaPerChild: 1,
  bookingHorizonDays: 14,
  minNoticeMinutes: 60,
};

/** Monday to Friday 12:00–13:30 and 16:30–18:00. */
export const schoolDayRules: SchedulingOpeningRule[] = ([1, 2, 3, 4, 5] as Weekday[]).flatMap((weekday) => [
  { weekday, startTime: '12:00', endTime: '13:30' },
  { weekday, startTime: '16:30', endTime: '18:00' },
]);

/** The Shanghai Home with two enabled kiosks and one out of order. */
export function shanghaiHome(overrides: Partial<HomeCalendar> = {}): HomeCalendar {
  return {
    settings: shanghaiSettings,
    openingRules: schoolDayRules,
    openingExceptions: [],
    kiosks: [
      { id: 'kio_a', enabled: true },
      { id: 'kio_b', enabled: true },
      { id: 'kio_broken', enabled: false },
    ],
    ...overrides,
  };
}

/** An instant written as Shanghai wall-clock time (UTC+8 all year). */
export function shanghai(localIso: string): Date {
  return new Date(`${localIso}+08:00`);
}

let bookingCounter = 0;

/** A booking with sensible defaults. */
export function booking(
  fields: Partial<SchedulingBooking> & Pick<SchedulingBooking, 'start' | 'end'>,
): SchedulingBooking {
  bookingCounter += 1;
  return {
    id: `bkg_${bookingCounter}`,
    kioskId: 'kio_a',
    childIds: [],
    contactIds: [],
    status: 'confirmed',
    ...fields,
  };
}
