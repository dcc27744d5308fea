import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBooking } from './check-booking.ts';
import { fairSchedule } from './fair-scheduler.ts';
import { freeSlotsFor } from './free-slots.ts';
import { zoneArb } from './test-arbitraries.ts';
import { booking, shanghai, shanghaiHome } from './test-fixtures.ts';
import type {
  SchedulingAvailabilityWindow,
  SchedulingBooking,
  SchedulingContact,
  SchedulingHousehold,
  Weekday,
} from './types.ts';
import { buildWeekProblem } from './week-problem.ts';

const weekdays = [1, 2, 3, 4, 5] as Weekday[];
const every = (contactId: string, startTime: string, endTime: string): SchedulingAvailabilityWindow[] =>
  weekdays.map((weekday) => ({ contactId, weekday, startTime, endTime }));

const households: SchedulingHousehold[] = [
  { id: 'hsh_li', childIds: ['chd_mei', 'chd_lei'], contactIds: ['cnt_li_mum', 'cnt_li_dad'] },
  { id: 'hsh_wang', childIds: ['chd_wang'], contactIds: ['cnt_wang'] },
  { id: 'hsh_zhao', childIds: ['chd_zhao'], contactIds: ['cnt_zhao'] },
  { id: 'hsh_sun', childIds: ['chd_sun'], contactIds: ['cnt_sun'] },
];
const contacts: SchedulingContact[] = [
  { id: 'cnt_li_mum', timeZone: 'Europe/Madrid', approved: true },
  { id: 'cnt_li_dad', timeZone: 'Asia/Shanghai', approved: false },
  { id: 'cnt_wang', timeZone: 'Asia/Shanghai', approved: true },
  { id: 'cnt_zhao', timeZone: 'Asia/Shanghai', approved: true },
  { id: 'cnt_sun', timeZone: 'Asia/Shanghai', approved: true },
];
const windows = [
  ...every('cnt_li_mum', '10:00', '11:00'),
  ...every('cnt_li_dad', '12:00', '13:30'),
  ...every('cnt_wang', '12:00', '12:40'),
  { contactId: 'cnt_zhao', weekday: 3 as Weekday, startTime: '17:30', endTime: '17:45' },
  ...every('cnt_sun', '20:00', '22:00'),
];
const now = shanghai('2026-03-01T20:00');
const base = {
  calendar: shanghaiHome(),
  week: '2026-03-04',
  households,
  contacts,
  windows,
  lastCallAt: new Map(),
  now,
};

describe('buildWeekProblem', () => {
  it('lists the week’s slots and, per approved contact, the slots inside their windows', () => {
    const problem = buildWeekProblem({ ...base, bookings: [] });
    expect(problem.slots).toHaveLength(40);
    expect(problem.slots[0]).toEqual({
      start: shanghai('2026-03-02T12:00'),
      end: shanghai('2026-03-02T12:15'),
      kioskIds: ['kio_a', 'kio_b'],
    });
    const byId = new Map(problem.households.map((h) => [h.householdId, h]));
    const startsOf = (id: string) =>
      byId.get(id)!.options.map((o) => [o.contactId, o.slotIndexes.map((i) => problem.slots[i]!.start.toISOString())]);
    // Madrid in winter: 10:00–11:00 there is 17:00–18:00 here (the 17:10 and 17:30 slots); the father is unapproved.
    expect(startsOf('hsh_li')[0]![0]).toBe('cnt_li_mum');
    expect(startsOf('hsh_li')[0]![1]).toHaveLength(10);
    expect(startsOf('hsh_li')).toHaveLength(1);
    expect(startsOf('hsh_zhao')).toEqual([['cnt_zhao', [shanghai('2026-03-04T17:30').toISOString()]]]);
    expect(byId.get('hsh_sun')!.options).toEqual([]);
    expect(byId.get('hsh_li')!.childIds).toEqual(['chd_mei', 'chd_lei']);
  });

  it('takes out children already booked this week, busy people and used kiosks', () => {
    const bookings: SchedulingBooking[] = [
      booking({ childIds: ['chd_lei'], start: shanghai('2026-03-02T12:00'), end: shanghai('2026-03-02T12:15') }),
      booking({
        childIds: ['chd_wang'],
        start: shanghai('2026-02-27T12:00'),
        end: shanghai('2026-02-27T12:15'),
        status: 'completed',
      }),
      booking({
        kioskId: 'kio_b',
        contactIds: ['cnt_wang'],
        start: shanghai('2026-03-03T12:00'),
        end: shanghai('2026-03-03T12:15'),
      }),
      booking({
        kioskId: 'kio_a',
        childIds: ['chd_zhao'],
        start: shanghai('2026-03-09T12:00'),
        end: shanghai('2026-03-09T12:15'),
        status: 'cancelled',
      }),
    ];
    const problem = buildWeekProblem({ ...base, bookings });
    expect(problem.alreadyBookedChildIds).toEqual(['chd_lei']);
    const li = problem.households.find((h) => h.householdId === 'hsh_li')!;
    expect(li.childIds).toEqual(['chd_mei']);
    const wang = problem.households.find((h) => h.householdId === 'hsh_wang')!;
    const wangStarts = wang.options[0]!.slotIndexes.map((i) => problem.slots[i]!.start.getTime());
    expect(wangStarts).toHaveLength(9);
    expect(wangStarts).not.toContain(shanghai('2026-03-03T12:00').getTime());
    const monday = problem.slots.find((s) => s.start.getTime() === shanghai('2026-03-02T12:00').getTime())!;
    expect(monday.kioskIds).toEqual(['kio_b']);
    const fullyBooked = buildWeekProblem({
      ...base,
      bookings: [
        ...bookings,
        booking({ childIds: ['chd_mei'], start: shanghai('2026-03-06T12:00'), end: shanghai('2026-03-06T12:15') }),
      ],
    });
    expect(fullyBooked.households.map((h) => h.householdId)).not.toContain('hsh_li');
  });

  it('refuses a child or contact shared by two households', () => {
    const twice = [...households, { id: 'hsh_copy', childIds: ['chd_wang'], contactIds: [] }];
    expect(() => buildWeekProblem({ ...base, households: twice, bookings: [] })).toThrow(RangeError);
  });

  it('property: every proposed call passes checkBooking and lies in the contact’s free slots', () => {
    const householdArb = fc.record({
      children: fc.integer({ min: 1, max: 3 }),
      zone: zoneArb,
      windows: fc.array(
        fc.record({
          weekday: fc.integer({ min: 1, max: 7 }).map((n) => n as Weekday),
          start: fc.integer({ min: 0, max: 23 }),
          hours: fc.integer({ min: 1, max: 12 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(householdArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 20 }),
        (spec, weeks) => {
          const hs: SchedulingHousehold[] = [];
          const cs: SchedulingContact[] = [];
          const ws: SchedulingAvailabilityWindow[] = [];
          spec.forEach((h, i) => {
            hs.push({
              id: `hsh_${i}`,
              childIds: Array.from({ length: h.children }, (_, c) => `chd_${i}_${c}`),
              contactIds: [`cnt_${i}`],
            });
            cs.push({ id: `cnt_${i}`, timeZone: h.zone, approved: true });
            for (const w of h.windows) {
              const end = Math.min(24, w.start + w.hours);
              ws.push({
                contactId: `cnt_${i}`,
                weekday: w.weekday,
                startTime: `${String(w.start).padStart(2, '0')}:00`,
                endTime: `${String(end).padStart(2, '0')}:00`,
              });
            }
          });
          const at = new Date(shanghai('2026-01-04T20:00').getTime() + weeks * 7 * 86_400_000);
          const week = new Date(at.getTime() + 86_400_000).toISOString().slice(0, 10);
          const calendar = shanghaiHome();
          const options = {
            calendar,
            households: hs,
            contacts: cs,
            windows: ws,
            bookings: [],
            lastCallAt: new Map(),
            now: at,
          };
          const result = fairSchedule(buildWeekProblem({ ...options, week }));
          const asBookings = result.proposals.map((p, i) =>
            booking({
              id: `bkg_p${i}`,
              kioskId: p.kioskId,
              childIds: p.childIds,
              contactIds: [p.contactId],
              start: p.slotStart,
              end: p.slotEnd,
              status: 'proposed',
            }),
          );
          result.proposals.forEach((p, i) => {
            const household = hs.find((h) => h.id === p.householdId)!;
            const contact = cs.find((c) => c.id === p.contactId)!;
            const others = asBookings.filter((_, j) => j !== i);
            const request = { kioskId: p.kioskId, start: p.slotStart, end: p.slotEnd };
            expect(checkBooking({ calendar, household, contact, request, bookings: others, now: at })).toEqual({
              ok: true,
            });
            const free = freeSlotsFor({ calendar, household, contact, windows: ws, bookings: others, now: at });
            expect(free.find((s) => s.start.getTime() === p.slotStart.getTime())?.kioskIds).toContain(p.kioskId);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
