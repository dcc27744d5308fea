import { DONE_BY_PHONE_AUDIT_ACTION } from '@affection/bookings';
import { AppError, addCalendarDays, openingIntervals, startOfLocalDay } from '@affection/core';
import type { Db } from '@affection/db';
import {
  getHome,
  listNoContactChildren,
  listOnDuty,
  listVoiceNotificationsOfBookings,
  loadBoardDay,
  loadHomeCalendar,
  type VoiceNotificationRecord,
} from '@affection/db';
import { boardCallStateOf } from './board-call-state.ts';
import type { BoardDto } from './board-schemas.ts';

/** The room opens this long before a call's start: from then on the call can be ended or rung. */
const ROOM_OPENS_BEFORE_MS = 5 * 60_000;

/** Minutes "5 more minutes" adds (the booking layer's default). */
const EXTEND_MINUTES = 5;

/** Today's date (`YYYY-MM-DD`) in a zone. */
export function localDateOf(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Where a staff page loads a child's kiosk photo (versioned, so a new photo is a new URL). */
function photoUrlOf(childId: string, photoVersion: string | null): string | null {
  return photoVersion === null ? null : `/api/children/${childId}/photo?v=${photoVersion}`;
}

/** The board's view of a voice notification: its status and whether the parent pressed 1 (coming now). */
function voiceNoticeOf(
  notice: VoiceNotificationRecord | undefined,
): BoardDto['lanes'][number]['calls'][number]['voiceNotice'] {
  if (!notice) return null;
  return { status: notice.status, provider: notice.provider, coming: notice.dtmf?.startsWith('1') === true };
}

/** What {@link loadTodayBoard} needs. */
export interface TodayBoardOptions {
  now: Date;
  /** Parents can be rung through the phone line. */
  canRingPhones: boolean;
}

/**
 * Today's board of a Home: one lane per kiosk with the day's calls in time order and their live state, who is on
 * duty, today's opening hours and the children with no call for the Home's alert period.
 */
export async function loadTodayBoard(db: Db, homeId: string, options: TodayBoardOptions): Promise<BoardDto> {
  const { now } = options;
  const home = await getHome(db, homeId);
  if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
  const date = localDateOf(now, home.timeZone);
  const from = startOfLocalDay(date, home.timeZone);
  const to = startOfLocalDay(addCalendarDays(date, 1), home.timeZone);
  const [day, duty, calendar, alerts] = await Promise.all([
    loadBoardDay(db, homeId, { from, to, doneByPhoneAction: DONE_BY_PHONE_AUDIT_ACTION }),
    listOnDuty(db, homeId, date),
    loadHomeCalendar(db, homeId, { start: from, end: to }),
    listNoContactChildren(db, homeId, { now, days: home.noContactAlertDays }),
  ]);
  const voiceNotices = new Map<string, VoiceNotificationRecord>();
  const notices = await listVoiceNotificationsOfBookings(
    db,
    homeId,
    day.bookings.map((b) => b.id),
  );
  // The booking's first contact's notice, or the second's: a key pressed by either shows.
  for (const notice of notices) {
    const seen = voiceNotices.get(notice.bookingId);
    if (!seen || (seen.dtmf !== '1' && notice.dtmf === '1')) voiceNotices.set(notice.bookingId, notice);
  }
  const opening = calendar ? openingIntervals(calendar, from, to).filter((i) => i.end > from && i.start < to) : [];
  const nowMs = now.getTime();
  const holding = new Set(['proposed', 'confirmed', 'in-progress']);
  const lanes = day.kiosks.map((kiosk) => {
    const onKiosk = day.bookings.filter((b) => b.kioskId === kiosk.id);
    return {
      kioskId: kiosk.id,
      kioskName: kiosk.name,
      enabled: kiosk.enabled,
      calls: onKiosk.map((booking) => {
        const view = boardCallStateOf(booking, now);
        const isHolding = holding.has(booking.status) && booking.doneByPhoneMinutes === null;
        const startMs = booking.start.getTime();
        const endMs = booking.end.getTime();
        const isRoomTime = nowMs >= startMs - ROOM_OPENS_BEFORE_MS && nowMs < endMs;
        const newEnd = endMs + EXTEND_MINUTES * 60_000;
        const isKioskFreeAfter = !onKiosk.some(
          (other) =>
            other.id !== booking.id &&
            holding.has(other.status) &&
            other.start.getTime() < newEnd &&
            other.end.getTime() > endMs,
        );
        return {
          bookingId: booking.id,
          version: booking.version,
          status: booking.status,
          start: booking.start.toISOString(),
          end: booking.end.toISOString(),
          children: booking.children.map((child) => ({
            id: child.id,
            givenName: child.givenName,
            photoUrl: photoUrlOf(child.id, child.photoVersion),
          })),
          contact: booking.contact
            ? { name: booking.contact.name, relation: booking.contact.relation, channel: booking.contact.channel }
            : null,
          state: view.state,
          parentChannel: view.parentChannel,
          waiting: view.isWaiting,
          childInSince: view.childInSince?.toISOString() ?? null,
          outcome: view.outcome,
          minutes: view.minutes,
          voiceNotice: voiceNoticeOf(voiceNotices.get(booking.id)),
          actions: {
            ring: isHolding && isRoomTime && view.state !== 'parent-in' && view.state !== 'ringing',
            end: isHolding && isRoomTime,
            extend: isHolding && nowMs >= startMs && nowMs < endMs && isKioskFreeAfter,
            doneByPhone: isHolding,
            cancel: isHolding && nowMs < startMs,
          },
        };
      }),
    };
  });
  return {
    date,
    timeZone: home.timeZone,
    now: now.toISOString(),
    homeName: home.name,
    canRingPhones: options.canRingPhones,
    onDuty: duty.staff.map((s) => ({ staffId: s.staffId, displayName: s.displayName })),
    opening: opening.map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString() })),
    lanes,
    alerts: {
      days: home.noContactAlertDays,
      children: alerts.map((child) => ({
        childId: child.childId,
        familyName: child.familyName,
        givenName: child.givenName,
        daysWithoutContact: child.daysWithoutContact,
        lastCallAt: child.lastCallAt?.toISOString() ?? null,
      })),
    },
  };
}
