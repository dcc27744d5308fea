import type { ApiError, Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import { type CalendarBooking, CHANGEABLE_STATUSES, partyLabel } from './calendar-types.ts';
import { MoveForm } from './move-form.tsx';
import { ReasonForm } from './reason-form.tsx';

/** What the dialog shows: the booking, or one of its changes. */
export type BookingStep = 'view' | 'move' | 'cancel' | 'decline';

/** Options of {@link BookingDialog}. */
export interface BookingDialogProps {
  api: ConsoleApi;
  booking: CalendarBooking;
  kioskName: string;
  t: Translate;
  locale: Locale;
  /** Called after a change, with the message to show. */
  onChanged: (message: string) => void;
  onClose: () => void;
  /** Open straight on a change (the proposals' "move" and "decline" buttons). Default the booking. */
  initialStep?: BookingStep;
}

/** A message key of the catalogs built from data. */
type Key = Parameters<Translate>[0];

/** One booking: who, when, where; move it, cancel it with a reason, or answer a proposal. */
export function BookingDialog({
  api,
  booking,
  kioskName,
  t,
  locale,
  onChanged,
  onClose,
  initialStep = 'view',
}: BookingDialogProps) {
  const [step, setStep] = useState<BookingStep>(initialStep);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const zone = booking.inHomeZone.timeZone;
  const when = `${formatInZone(booking.start, zone, locale, 'date')} ${booking.inHomeZone.startTime}–${booking.inHomeZone.endTime}`;
  const who = partyLabel(booking.party);
  const changeable = CHANGEABLE_STATUSES.includes(booking.status);

  const send = async (work: () => Promise<unknown>, message: string): Promise<ApiError | null> => {
    try {
      await work();
      onChanged(message);
      return null;
    } catch (problem) {
      return problem as ApiError;
    }
  };

  return (
    <Dialog title={who} onClose={onClose} closeLabel={t('console.common.close')}>
      <dl class="cal-facts">
        <dt>{t('console.calendar.when')}</dt>
        <dd>{when}</dd>
        <dt>{t('console.calendar.kiosk')}</dt>
        <dd>{kioskName}</dd>
        <dt>{t('console.calendar.family')}</dt>
        <dd>
          {booking.party.householdName}
          {booking.party.contacts.map((contact) => (
            <span key={contact.id} class="cal-contact">
              {contact.name}（{t(`console.calendar.relation.${contact.relation}` as Key)}，
              {t(`console.calendar.channel.${contact.channel}` as Key)}）
            </span>
          ))}
        </dd>
        <dt>{t('console.calendar.state')}</dt>
        <dd>
          {t(`console.calendar.status.${booking.status}` as Key)} ·{' '}
          {t(`console.calendar.source.${booking.source}` as Key)}
        </dd>
        {booking.cancelReason && (
          <>
            <dt>{t('console.calendar.reason')}</dt>
            <dd>{booking.cancelReason}</dd>
          </>
        )}
      </dl>
      {step === 'view' && (
        <>
          {error && (
            <p class="form-error" role="alert">
              {problemText(error, t)}
            </p>
          )}
          {changeable ? (
            <div class="form-actions">
              {booking.status === 'proposed' && (
                <Button
                  kind="primary"
                  busy={busy}
                  onClick={async () => {
                    setBusy(true);
                    setError(
                      await send(
                        () =>
                          api.call('POST /api/bookings/{id}/confirm', {
                            params: { id: booking.id },
                            body: { version: booking.version },
                          }),
                        t('console.calendar.confirmed', { who }),
                      ),
                    );
                    setBusy(false);
                  }}
                >
                  {t('console.proposals.confirm')}
                </Button>
              )}
              <Button onClick={() => setStep('move')}>{t('console.calendar.move')}</Button>
              {booking.status === 'proposed' ? (
                <Button kind="danger" onClick={() => setStep('decline')}>
                  {t('console.proposals.decline')}
                </Button>
              ) : (
                <Button kind="danger" onClick={() => setStep('cancel')}>
                  {t('console.calendar.cancel')}
                </Button>
              )}
            </div>
          ) : (
            <p class="cal-muted">{t('console.calendar.not-changeable')}</p>
          )}
        </>
      )}
      {step === 'move' && (
        <MoveForm
          api={api}
          booking={booking}
          t={t}
          locale={locale}
          onBack={() => setStep('view')}
          onMoved={(start) =>
            onChanged(
              t('console.calendar.moved', {
                who,
                when: formatInZone(start, zone, locale, 'date-time'),
              }),
            )
          }
        />
      )}
      {step === 'cancel' && (
        <ReasonForm
          draftKey={`calendar.cancel.${booking.id}`}
          label={t('console.calendar.cancel-reason')}
          hint={t('console.calendar.cancel-hint')}
          submitLabel={t('console.calendar.cancel-confirm')}
          t={t}
          locale={locale}
          onBack={() => setStep('view')}
          onSubmit={(reason) =>
            send(
              () =>
                api.call('POST /api/bookings/{id}/cancel', {
                  params: { id: booking.id },
                  body: { reason, version: booking.version },
                }),
              t('console.calendar.cancelled', { who }),
            )
          }
        />
      )}
      {step === 'decline' && (
        <ReasonForm
          draftKey={`calendar.decline.${booking.id}`}
          label={t('console.proposals.decline-reason')}
          submitLabel={t('console.proposals.decline-confirm')}
          t={t}
          locale={locale}
          onBack={() => setStep('view')}
          onSubmit={(reason) =>
            send(
              () =>
                api.call('POST /api/bookings/{id}/decline', {
                  params: { id: booking.id },
                  body: { reason, version: booking.version },
                }),
              t('console.proposals.declined', { who }),
            )
          }
        />
      )}
    </Dialog>
  );
}
