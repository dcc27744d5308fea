import type { Locale, Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import type { OnBookings, OutsideBooking } from './hours-types.ts';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "12月8日周二" of a calendar date, in the page's language. */
export function dateWords(date: string, locale: Locale): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'numeric', day: 'numeric', weekday: 'short' });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** Who a call is for: the children, then who they talk to (with the relation). */
export function partyWords(booking: OutsideBooking, t: Translate): { children: string; contacts: string } {
  return {
    children: booking.party.children.map((c) => `${c.familyName}${c.givenName}`).join('、'),
    contacts: booking.party.contacts
      .map((c) => {
        const key = `console.relation.${c.relation}` as Parameters<Translate>[0];
        const relation = t(key);
        return relation === key ? c.name : `${c.name}（${relation}）`;
      })
      .join('、'),
  };
}

/** The calls as a table: date and time, kiosk, child, who they talk to. */
export function OutsideBookingsTable({
  bookings,
  t,
  locale,
  caption,
}: {
  bookings: readonly OutsideBooking[];
  t: Translate;
  locale: Locale;
  caption: string;
}) {
  return (
    <table class="hours-table hours-calls">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.hours.call-when')}</th>
          <th scope="col">{t('console.hours.call-child')}</th>
          <th scope="col">{t('console.hours.call-who')}</th>
        </tr>
      </thead>
      <tbody>
        {bookings.map((b) => {
          const party = partyWords(b, t);
          return (
            <tr key={b.id} data-booking={b.id}>
              <td>
                {dateWords(b.inHomeZone.date, locale)} {b.inHomeZone.startTime}–{b.inHomeZone.endTime}
                <div class="hours-muted">
                  {b.kioskName}
                  {b.underWay ? ` · ${t('console.hours.under-way')}` : ''}
                </div>
              </td>
              <td>{party.children}</td>
              <td>{party.contacts}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Options of {@link OutsideBookingsDialog}. */
export interface OutsideBookingsDialogProps {
  bookings: readonly OutsideBooking[];
  t: Translate;
  locale: Locale;
  /** The choice being saved, while the request runs. */
  busy: OnBookings | null;
  /** The refusal of the last try, to show above the buttons. */
  problem: string | null;
  onChoose: (choice: OnBookings) => void;
  onBack: () => void;
}

/**
 * Before a change that removes open time is saved: the booked calls it would leave outside the hours, and the
 * admin's choice — cancel them and tell the families by SMS, or keep them — or back to change the hours.
 */
export function OutsideBookingsDialog({
  bookings,
  t,
  locale,
  busy,
  problem,
  onChoose,
  onBack,
}: OutsideBookingsDialogProps) {
  const cancellable = bookings.filter((b) => !b.underWay).length;
  return (
    <Dialog
      title={t('console.hours.outside-title', { count: bookings.length })}
      onClose={onBack}
      closeLabel={t('console.hours.back')}
    >
      <p>{t('console.hours.outside-intro')}</p>
      <div class="hours-scroll">
        <OutsideBookingsTable bookings={bookings} t={t} locale={locale} caption={t('console.hours.outside-caption')} />
      </div>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <div class="form-actions hours-choices">
        {cancellable > 0 && (
          <Button kind="danger" busy={busy === 'cancel'} disabled={busy !== null} onClick={() => onChoose('cancel')}>
            {t('console.hours.choose-cancel', { count: cancellable })}
          </Button>
        )}
        <Button busy={busy === 'keep'} disabled={busy !== null} onClick={() => onChoose('keep')}>
          {t('console.hours.choose-keep')}
        </Button>
        <Button kind="quiet" disabled={busy !== null} onClick={onBack}>
          {t('console.hours.back')}
        </Button>
      </div>
    </Dialog>
  );
}
