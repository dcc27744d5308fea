import type { Locale, Translate } from '@affection/ui';
import { minutesOf, timeOf } from './calendar-time.ts';
import { type CalendarBooking, type CalendarData, HOLDING_STATUSES, partyLabel } from './calendar-types.ts';

/** One column of the grid: a day of one kiosk (week view) or a kiosk on one day (day view). */
export interface GridColumn {
  key: string;
  label: string;
  /** A second line under the label (the date in the day view's header, the weekday in the week's). */
  sublabel?: string;
  /** The whole place in words for a screen reader: the day and the kiosk. */
  describe: string;
  date: string;
  kioskId: string;
}

/** A free, open cell the teacher may book. */
export interface FreeCell {
  date: string;
  time: string;
  kioskId: string;
  /** The cell's start, as an instant. */
  start: string;
}

/** Options of {@link WeekGrid}. */
export interface WeekGridProps {
  data: CalendarData;
  columns: readonly GridColumn[];
  caption: string;
  t: Translate;
  locale: Locale;
  onFreeCell: (cell: FreeCell) => void;
  onBooking: (booking: CalendarBooking) => void;
}

/** The times of day the grid has a row for: every slot of the opening hours, and every booking's start. */
function rowTimes(data: CalendarData, columns: readonly GridColumn[]): string[] {
  const step = data.slotMinutes + data.bufferMinutes;
  const dates = new Set(columns.map((c) => c.date));
  const times = new Set<string>();
  for (const span of data.open) {
    if (!dates.has(span.inHomeZone.date)) continue;
    const end = minutesOf(span.inHomeZone.endTime || '24:00');
    for (let m = minutesOf(span.inHomeZone.startTime); m + data.slotMinutes <= end; m += step) times.add(timeOf(m));
  }
  for (const booking of data.bookings) {
    if (dates.has(booking.inHomeZone.date)) times.add(booking.inHomeZone.startTime);
  }
  return [...times].sort();
}

/** The instant a cell starts at, from the opening interval of its date that holds it; null when closed. */
function openStart(data: CalendarData, date: string, time: string): string | null {
  const minutes = minutesOf(time);
  for (const span of data.open) {
    if (span.inHomeZone.date !== date) continue;
    const from = minutesOf(span.inHomeZone.startTime);
    const to = minutesOf(span.inHomeZone.endTime || '24:00');
    if (minutes >= from && minutes + data.slotMinutes <= to) {
      return new Date(Date.parse(span.start) + (minutes - from) * 60_000).toISOString();
    }
  }
  return null;
}

/**
 * The calendar's grid: a table whose columns are days (or kiosks) and whose rows are the times of the Home's slots,
 * in the Home's zone. Open cells are shaded; a free open cell still ahead is a button to book it; a booking is a button that
 * opens it. Rows jump over the closed hours between two opening ranges (a thicker line marks the jump).
 */
export function WeekGrid({ data, columns, caption, t, onFreeCell, onBooking }: WeekGridProps) {
  const times = rowTimes(data, columns);
  const step = data.slotMinutes + data.bufferMinutes;
  // A slot that has started can no longer be booked: no button for it.
  const now = new Date().toISOString();
  const cellBookings = (column: GridColumn, time: string, next: string | undefined) =>
    data.bookings.filter(
      (b) =>
        b.kioskId === column.kioskId &&
        b.inHomeZone.date === column.date &&
        b.inHomeZone.startTime >= time &&
        (next === undefined || b.inHomeZone.startTime < next),
    );
  return (
    <table class="cal-grid">
      <caption class="cal-caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" class="cal-time-head">
            {t('console.calendar.time')}
          </th>
          {columns.map((column) => (
            <th scope="col" key={column.key}>
              <span class="cal-col-label">{column.label}</span>
              {column.sublabel && <span class="cal-col-sub">{column.sublabel}</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {times.map((time, index) => {
          const next = times[index + 1];
          const previous = times[index - 1];
          const jump = previous !== undefined && minutesOf(time) - minutesOf(previous) > step;
          return (
            <tr key={time} class={jump ? 'cal-jump' : undefined}>
              <th scope="row" class="cal-time">
                {time}
              </th>
              {columns.map((column) => {
                const start = openStart(data, column.date, time);
                const here = cellBookings(column, time, next);
                const held = here.some((b) => HOLDING_STATUSES.includes(b.status));
                return (
                  <td key={column.key} class={start ? 'cal-open' : 'cal-closed'}>
                    {here.map((booking) => (
                      <button
                        type="button"
                        key={booking.id}
                        class={`cal-booking cal-${booking.status}`}
                        onClick={() => onBooking(booking)}
                      >
                        <span class="cal-booking-time">{booking.inHomeZone.startTime}</span>{' '}
                        <span class="cal-booking-who">{partyLabel(booking.party)}</span>
                        {booking.status !== 'confirmed' && (
                          <span class="cal-booking-status">
                            {t(`console.calendar.status.${booking.status}` as Parameters<Translate>[0])}
                          </span>
                        )}
                      </button>
                    ))}
                    {start && start > now && !held && (
                      <button
                        type="button"
                        class="cal-free"
                        aria-label={t('console.calendar.book-cell', { where: column.describe, time })}
                        onClick={() => onFreeCell({ date: column.date, time, kioskId: column.kioskId, start })}
                      >
                        {t('console.calendar.free')}
                      </button>
                    )}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
