import { describe, expect, it } from 'vitest';
import {
  decideBookingPlan,
  type EarlierStep,
  type PlanContact,
  type PlanInput,
  previousStartOf,
} from './decide-booking-plan.ts';
import { DEFAULT_LIFECYCLE_TIMINGS } from './lifecycle-timings.ts';

const MIN = 60_000;
const NOW = new Date('2026-11-17T03:00:00Z');
const VIDEO: PlanContact = { channel: 'video', phoneFallback: true, canGetSms: true, canBeRung: true };
const PHONE: PlanContact = { ...VIDEO, channel: 'phone' };

function input(overrides: Partial<PlanInput> & { startInMs?: number; slotMs?: number } = {}): PlanInput {
  const start = new Date(NOW.getTime() + (overrides.startInMs ?? 25 * 60 * MIN));
  const end = new Date(start.getTime() + (overrides.slotMs ?? 15 * MIN));
  return {
    booking: { id: 'bkg_1', status: 'confirmed', version: 1, start, end },
    contact: VIDEO,
    childNames: ['小明'],
    earlierSteps: [],
    hasToldParent: false,
    now: NOW,
    timings: DEFAULT_LIFECYCLE_TIMINGS,
    ...overrides,
  };
}

const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs);

describe('decideBookingPlan', () => {
  it('plans every step of a call 25 hours ahead, in order, at its time', () => {
    const plan = decideBookingPlan(input());
    const { start, end } = input().booking;
    expect(plan.steps.map((s) => [s.kind, s.dueAt.toISOString(), s.state])).toEqual([
      ['confirm-sms', NOW.toISOString(), 'pending'],
      ['reminder-day-before', at(start, -24 * 60 * MIN).toISOString(), 'pending'],
      ['reminder-15m', at(start, -15 * MIN).toISOString(), 'pending'],
      ['open-room', at(start, -5 * MIN).toISOString(), 'pending'],
      ['fallback-ring', at(start, 2 * MIN).toISOString(), 'pending'],
      ['warn-end', at(end, -MIN).toISOString(), 'pending'],
      ['close-room', at(end, 30_000).toISOString(), 'pending'],
      ['decide-outcome', at(end, 60_000).toISOString(), 'pending'],
    ]);
    expect(plan.sms.map((m) => [m.name, m.message.kind, m.dueAt.toISOString()])).toEqual([
      ['confirm-sms', 'booking-confirmed', NOW.toISOString()],
      ['reminder-day-before', 'reminder-day-before', at(start, -24 * 60 * MIN).toISOString()],
      ['reminder-15m', 'reminder-15-min', at(start, -15 * MIN).toISOString()],
    ]);
  });

  it('sends no day-before reminder for a call 30 minutes ahead, and no 15-minute one for a call 10 minutes ahead', () => {
    const soon = decideBookingPlan(input({ startInMs: 30 * MIN }));
    expect(soon.steps.map((s) => s.kind)).not.toContain('reminder-day-before');
    expect(soon.steps.map((s) => s.kind)).toContain('reminder-15m');
    const sooner = decideBookingPlan(input({ startInMs: 10 * MIN }));
    expect(sooner.steps.map((s) => s.kind)).not.toContain('reminder-15m');
    expect(sooner.sms.map((m) => m.name)).toEqual(['confirm-sms']);
  });

  it('rings a phone contact at the start and never falls back; a video contact only with phoneFallback', () => {
    const phone = decideBookingPlan(input({ contact: PHONE })).steps.map((s) => s.kind);
    expect(phone).toContain('ring-phone');
    expect(phone).not.toContain('fallback-ring');
    const noFallback = decideBookingPlan(input({ contact: { ...VIDEO, phoneFallback: false } }));
    expect(noFallback.steps.map((s) => s.kind)).not.toContain('fallback-ring');
    expect(noFallback.steps.map((s) => s.kind)).not.toContain('ring-phone');
    // A slot that ends before the fallback time has none.
    const short = decideBookingPlan(input({ slotMs: 2 * MIN }));
    expect(short.steps.map((s) => s.kind)).not.toContain('fallback-ring');
  });

  it('tells a "call now" parent at once with call-now-sms and rings a video parent after the Home\'s wait', () => {
    const start = NOW;
    const booking = { id: 'bkg_1', status: 'confirmed' as const, version: 1, start, end: at(start, 15 * MIN) };
    const plan = decideBookingPlan(input({ booking: { ...booking, source: 'adhoc' }, parentJoinWaitMs: 4 * MIN }));
    expect(plan.steps.map((s) => [s.kind, s.dueAt.toISOString(), s.state])).toEqual([
      ['open-room', at(start, -5 * MIN).toISOString(), 'pending'],
      ['call-now-sms', NOW.toISOString(), 'pending'],
      ['fallback-ring', at(start, 4 * MIN).toISOString(), 'pending'],
      ['warn-end', at(start, 14 * MIN).toISOString(), 'pending'],
      ['close-room', at(start, 15 * MIN + 30_000).toISOString(), 'pending'],
      ['decide-outcome', at(start, 16 * MIN).toISOString(), 'pending'],
    ]);
    expect(plan.sms.map((m) => [m.name, m.to, m.message])).toEqual([
      ['call-now-sms', 'first', { kind: 'call-now', childNames: ['小明'], channel: 'video' }],
    ]);
    // A phone parent is rung at the start; a status change later (told already, ring ran) sends and rings nothing new.
    const phone = decideBookingPlan(input({ booking: { ...booking, source: 'adhoc' }, contact: PHONE }));
    expect(phone.steps.filter((s) => s.kind === 'ring-phone').map((s) => s.dueAt)).toEqual([start]);
    expect(phone.sms.map((m) => m.message)).toEqual([{ kind: 'call-now', childNames: ['小明'], channel: 'phone' }]);
    const later = decideBookingPlan(
      input({
        booking: { ...booking, source: 'adhoc', version: 2 },
        contact: PHONE,
        hasToldParent: true,
        now: at(start, MIN),
        earlierSteps: [{ kind: 'ring-phone', bookingVersion: 1, dueAt: start, state: 'done' }],
      }),
    );
    expect(later.sms).toEqual([]);
    expect(later.steps.find((s) => s.kind === 'ring-phone')?.state).toBe('done');
    // A teacher's booked call keeps the two-minute fallback whatever the Home's "call now" wait.
    const booked = decideBookingPlan(input({ parentJoinWaitMs: 9 * MIN }));
    const bookedStart = input().booking.start;
    expect(booked.steps.find((s) => s.kind === 'fallback-ring')?.dueAt).toEqual(at(bookedStart, 2 * MIN));
    expect(booked.steps.map((s) => s.kind)).not.toContain('call-now-sms');
  });

  it("tells and rings a three-way call's second contact like the first, in their own steps", () => {
    const plan = decideBookingPlan(input({ secondContact: PHONE }));
    const { start } = input().booking;
    const kinds = plan.steps.map((s) => s.kind);
    for (const kind of ['confirm-sms-2', 'reminder-day-before-2', 'reminder-15m-2', 'ring-phone-2']) {
      expect(kinds).toContain(kind);
    }
    expect(kinds).toContain('fallback-ring');
    expect(kinds).not.toContain('fallback-ring-2');
    expect(plan.steps.find((s) => s.kind === 'ring-phone-2')?.dueAt).toEqual(start);
    expect(plan.sms.map((m) => [m.name, m.to, m.message.kind])).toEqual([
      ['confirm-sms', 'first', 'booking-confirmed'],
      ['confirm-sms-2', 'second', 'booking-confirmed'],
      ['reminder-day-before', 'first', 'reminder-day-before'],
      ['reminder-day-before-2', 'second', 'reminder-day-before'],
      ['reminder-15m', 'first', 'reminder-15-min'],
      ['reminder-15m-2', 'second', 'reminder-15-min'],
    ]);
    // The second contact's phone channel is their own: the first's messages still speak of video.
    expect(plan.sms.find((m) => m.name === 'confirm-sms-2')?.message).toMatchObject({ channel: 'phone' });
    expect(plan.sms.find((m) => m.name === 'confirm-sms')?.message).toMatchObject({ channel: 'video' });
    // A second contact who cannot get SMS gets none; the first still does.
    const quiet = decideBookingPlan(input({ secondContact: { ...VIDEO, canGetSms: false } }));
    expect(quiet.sms.every((m) => m.to === 'first')).toBe(true);
    expect(quiet.steps.find((s) => s.kind === 'confirm-sms-2')?.state).toBe('done');
    expect(quiet.steps.find((s) => s.kind === 'fallback-ring-2')?.state).toBe('pending');
    // Cancelled: each contact who was told hears of it, and only they.
    const cancelled = decideBookingPlan(
      input({
        booking: { ...input().booking, status: 'cancelled', version: 2 },
        secondContact: VIDEO,
        hasToldParent: false,
        hasToldSecond: true,
      }),
    );
    expect(cancelled.sms.map((m) => [m.name, m.to])).toEqual([['booking-cancelled-2', 'second']]);
  });

  it("plans the kiosk's waiting limit the Home's minutes after the start, only when it comes before the end's warning", () => {
    const { start } = input().booking;
    const plan = decideBookingPlan(input({ kioskWaitMs: 3 * MIN }));
    expect(plan.steps.find((s) => s.kind === 'kiosk-wait-limit')?.dueAt).toEqual(at(start, 3 * MIN));
    expect(decideBookingPlan(input()).steps.map((s) => s.kind)).not.toContain('kiosk-wait-limit');
    const short = decideBookingPlan(input({ kioskWaitMs: 3 * MIN, slotMs: 4 * MIN }));
    expect(short.steps.map((s) => s.kind)).not.toContain('kiosk-wait-limit');
  });

  it('writes no SMS to a contact who cannot get one, and records the SMS steps as done', () => {
    const plan = decideBookingPlan(input({ contact: { ...VIDEO, canGetSms: false } }));
    expect(plan.sms).toEqual([]);
    const smsSteps = plan.steps.filter((s) => ['confirm-sms', 'reminder-day-before', 'reminder-15m'].includes(s.kind));
    expect(smsSteps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
  });

  it('plans nothing for a proposal, a declined or a finished call', () => {
    for (const status of ['proposed', 'declined', 'completed', 'missed'] as const) {
      const base = input();
      expect(decideBookingPlan({ ...base, booking: { ...base.booking, status } })).toEqual({ steps: [], sms: [] });
    }
  });

  it('tells a parent who heard about the call that it is cancelled, once, and only before it starts', () => {
    const base = input({ hasToldParent: true });
    const cancelled = { ...base, booking: { ...base.booking, status: 'cancelled' as const, version: 2 } };
    expect(decideBookingPlan(cancelled).sms.map((m) => m.message.kind)).toEqual(['booking-cancelled']);
    expect(decideBookingPlan(cancelled).steps).toEqual([]);
    expect(decideBookingPlan({ ...cancelled, hasToldParent: false }).sms).toEqual([]);
    const started = { ...cancelled, now: at(base.booking.start, 1) };
    expect(decideBookingPlan(started).sms).toEqual([]);
  });

  it('tells a parent who heard about the old time that the call moved, instead of confirming again', () => {
    const first = input();
    const v1Steps: EarlierStep[] = decideBookingPlan(first).steps.map((s) => ({
      kind: s.kind,
      bookingVersion: 1,
      dueAt: s.dueAt,
      state: s.kind === 'confirm-sms' ? 'done' : 'cancelled',
    }));
    const later = at(first.booking.start, 30 * MIN);
    const moved = decideBookingPlan({
      ...first,
      booking: { ...first.booking, version: 2, start: later, end: at(later, 15 * MIN) },
      earlierSteps: v1Steps,
      hasToldParent: true,
    });
    expect(moved.steps.map((s) => s.kind)).not.toContain('confirm-sms');
    expect(moved.sms.map((m) => m.message)).toEqual([
      expect.objectContaining({ kind: 'booking-moved', previousStart: first.booking.start, start: later }),
      expect.objectContaining({ kind: 'reminder-day-before', start: later }),
      expect.objectContaining({ kind: 'reminder-15-min', start: later }),
    ]);
    // Moved before the confirmation went out: the parent gets a plain confirmation of the new time.
    const unannounced = decideBookingPlan({
      ...first,
      booking: { ...first.booking, version: 2, start: later, end: at(later, 15 * MIN) },
      earlierSteps: v1Steps,
      hasToldParent: false,
    });
    expect(unannounced.sms[0]?.message).toMatchObject({ kind: 'booking-confirmed', start: later });
  });

  it('keeps what an earlier version ran at the same time: a status change rings nobody twice', () => {
    const first = input({ contact: PHONE, startInMs: 20 * MIN });
    const { start } = first.booking;
    const v1: EarlierStep[] = [
      { kind: 'confirm-sms', bookingVersion: 1, dueAt: NOW, state: 'done' },
      { kind: 'reminder-15m', bookingVersion: 1, dueAt: at(start, -15 * MIN), state: 'done' },
      { kind: 'open-room', bookingVersion: 1, dueAt: at(start, -5 * MIN), state: 'done' },
      { kind: 'ring-phone', bookingVersion: 1, dueAt: start, state: 'running' },
      { kind: 'warn-end', bookingVersion: 1, dueAt: at(first.booking.end, -MIN), state: 'cancelled' },
    ];
    const inCall = decideBookingPlan({
      ...first,
      booking: { ...first.booking, status: 'in-progress', version: 2 },
      earlierSteps: v1,
      hasToldParent: true,
      now: at(start, 30_000),
    });
    expect(inCall.sms).toEqual([]);
    expect(inCall.steps.map((s) => [s.kind, s.state])).toEqual([
      ['open-room', 'done'],
      ['ring-phone', 'done'],
      ['warn-end', 'pending'],
      ['close-room', 'pending'],
      ['decide-outcome', 'pending'],
    ]);
  });

  it('always closes the room and decides the outcome, even for a call planned after its end', () => {
    const base = input({ startInMs: -20 * MIN });
    expect(decideBookingPlan(base).steps.map((s) => s.kind)).toEqual(['close-room', 'decide-outcome']);
  });

  it('reads the previous start back from the latest earlier version', () => {
    const t = DEFAULT_LIFECYCLE_TIMINGS;
    const start = new Date('2026-11-18T04:15:00Z');
    expect(
      previousStartOf(
        [
          { kind: 'open-room', bookingVersion: 1, dueAt: at(start, -60 * MIN - t.openRoomMs), state: 'cancelled' },
          { kind: 'ring-phone', bookingVersion: 2, dueAt: start, state: 'cancelled' },
          { kind: 'close-room', bookingVersion: 3, dueAt: at(start, 99 * MIN), state: 'cancelled' },
        ],
        t,
      ),
    ).toEqual(start);
    expect(previousStartOf([], t)).toBeUndefined();
  });
});
