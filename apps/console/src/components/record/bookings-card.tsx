import type { Locale, Translate } from '@affection/ui';
import { formatInZone } from '../common/zoned-time.tsx';
import type { BookingItem } from './record-types.ts';

const COMING = new Set(['proposed', 'confirmed', 'in-progress']);

/** Options of {@link BookingsCard}. */
export interface BookingsCardProps {
  bookings: readonly BookingItem[] | null;
  now: Date;
  zone: string;
  t: Translate;
  locale: Locale;
}

function BookingList({ items, zone, t, locale }: { items: BookingItem[]; zone: string; t: Translate; locale: Locale }) {
  return (
    <ul class="plain-list booking-list">
      {items.map((booking) => (
        <li key={booking.id}>
          <span class="nowrap">
            {formatInZone(booking.start, zone, locale, 'date')} {formatInZone(booking.start, zone, locale)}–
            {formatInZone(booking.end, zone, locale)}
          </span>{' '}
          <span class={`status status-booking-${booking.status}`}>{t(`console.record.booking-${booking.status}`)}</span>
          {booking.cancelReason && <span class="muted"> · {booking.cancelReason}</span>}
        </li>
      ))}
    </ul>
  );
}

/** The child's bookings: coming ones first (soonest first), then the past ones (newest first). */
export function BookingsCard({ bookings, now, zone, t, locale }: BookingsCardProps) {
  const coming = (bookings ?? [])
    .filter((b) => COMING.has(b.status) && Date.parse(b.end) > now.getTime())
    .sort((a, b) => a.start.localeCompare(b.start));
  const past = (bookings ?? []).filter((b) => !coming.includes(b)).sort((a, b) => b.start.localeCompare(a.start));
  return (
    <section class="card record-card" aria-labelledby="record-bookings">
      <h2 id="record-bookings">{t('console.record.bookings')}</h2>
      <h3>{t('console.record.coming')}</h3>
      {bookings && coming.length === 0 && <p class="muted">{t('console.record.none-coming')}</p>}
      <BookingList items={coming} zone={zone} t={t} locale={locale} />
      <h3>{t('console.record.past')}</h3>
      {bookings && past.length === 0 && <p class="muted">{t('console.record.none-past')}</p>}
      <BookingList items={past} zone={zone} t={t} locale={locale} />
    </section>
  );
}
