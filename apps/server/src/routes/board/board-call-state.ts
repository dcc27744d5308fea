import type { BoardBookingRecord } from '@affection/db';

/** Where a call of the day stands, as the board shows it. */
export type BoardCallState = 'upcoming' | 'room-open' | 'child-in' | 'parent-in' | 'ringing' | 'ended' | 'cancelled';

/** How a call ended, as the board shows it: the call log's outcome, or done by phone by a teacher. */
export type BoardOutcome = 'completed' | 'parent-no-show' | 'child-no-show' | 'failed' | 'by-phone';

/** What {@link boardCallStateOf} makes of a booking's records. */
export interface BoardCallView {
  state: BoardCallState;
  /** How the parent is in the room (`parent-in`): on the family page (video) or rung on their phone. */
  parentChannel: 'video' | 'phone' | null;
  /** A child has been in the room without a parent for more than {@link WAITING_AFTER_MS}. */
  isWaiting: boolean;
  /** Since when a child is in the room (their current stay), null when none is. */
  childInSince: Date | null;
  /** Ended calls: how; null while the outcome is not decided yet. */
  outcome: BoardOutcome | null;
  /** Ended calls: minutes the child and a parent talked (or the teacher's minutes by phone). */
  minutes: number | null;
}

/** A child alone in the room this long gets the "waiting" badge. */
export const WAITING_AFTER_MS = 60_000;

/** Steps that ring the parent's phone. */
const RING_STEPS = new Set(['ring-phone', 'ring-phone-2', 'fallback-ring', 'fallback-ring-2', 'ring-back']);

interface ParticipantSummary {
  role: 'child' | 'parent' | 'phone' | 'staff';
  periods: { joinedAt: string; leftAt: string | null }[];
}

/** The fold's summaries among the stored participants (`source: 'call-log'`). */
function summariesOf(participants: readonly unknown[]): ParticipantSummary[] {
  return participants.filter(
    (entry): entry is ParticipantSummary =>
      typeof entry === 'object' &&
      entry !== null &&
      (entry as { source?: unknown }).source === 'call-log' &&
      Array.isArray((entry as { periods?: unknown }).periods),
  );
}

/** When a participant's current stay began, or null when they are not in the room. */
function presentSince(summary: ParticipantSummary): Date | null {
  const last = summary.periods.at(-1);
  return last && last.leftAt === null ? new Date(last.joinedAt) : null;
}

/**
 * The live state of a call from what the database records: the booking's status and times, the call log's
 * participants (folded from LiveKit's webhooks), the current version's lifecycle steps (room opened, ringing) and
 * a teacher's "done by phone". Pure: `now` comes in.
 */
export function boardCallStateOf(booking: BoardBookingRecord, now: Date): BoardCallView {
  const overlapMinutes = booking.callLog ? Math.round(booking.callLog.overlapSeconds / 60) : null;
  const none = { parentChannel: null, isWaiting: false, childInSince: null } as const;
  if (booking.status === 'cancelled' || booking.status === 'declined') {
    return { ...none, state: 'cancelled', outcome: null, minutes: null };
  }
  if (booking.doneByPhoneMinutes !== null) {
    return { ...none, state: 'ended', outcome: 'by-phone', minutes: booking.doneByPhoneMinutes };
  }
  const logOutcome = booking.callLog?.outcome ?? null;
  if (booking.status === 'completed' || booking.status === 'missed') {
    return {
      ...none,
      state: 'ended',
      outcome: logOutcome ?? (booking.status === 'completed' ? 'completed' : null),
      minutes: overlapMinutes ?? 0,
    };
  }
  if (now.getTime() >= booking.end.getTime()) {
    return { ...none, state: 'ended', outcome: logOutcome, minutes: overlapMinutes ?? 0 };
  }
  const summaries = summariesOf(booking.callLog?.participants ?? []);
  const childSince = summaries
    .filter((s) => s.role === 'child')
    .map(presentSince)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const parentIn = summaries.find((s) => s.role === 'parent' && presentSince(s) !== null);
  const phoneIn = summaries.find((s) => s.role === 'phone' && presentSince(s) !== null);
  const childInSince = childSince ?? null;
  if (parentIn || phoneIn) {
    return {
      state: 'parent-in',
      parentChannel: parentIn ? 'video' : 'phone',
      isWaiting: false,
      childInSince,
      outcome: null,
      minutes: null,
    };
  }
  const isWaiting = childInSince !== null && now.getTime() - childInSince.getTime() > WAITING_AFTER_MS;
  const isRinging = booking.steps.some(
    (step) =>
      RING_STEPS.has(step.kind) &&
      (step.state === 'running' || (step.state === 'pending' && step.kind === 'ring-back')),
  );
  if (isRinging)
    return { state: 'ringing', parentChannel: null, isWaiting, childInSince, outcome: null, minutes: null };
  if (childInSince)
    return { state: 'child-in', parentChannel: null, isWaiting, childInSince, outcome: null, minutes: null };
  const isRoomOpen = booking.steps.some((step) => step.kind === 'open-room' && step.state === 'done');
  return { ...none, state: isRoomOpen ? 'room-open' : 'upcoming', outcome: null, minutes: null };
}
