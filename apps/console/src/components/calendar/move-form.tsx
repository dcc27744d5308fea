import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import type { FreeSlot } from './calendar-types.ts';
import { slotLabel } from './slot-label.ts';

/** How far ahead the free slots of a move are looked for. */
const LOOK_AHEAD_DAYS = 21;

/** The booking to move, as any list of the console shows it. */
export interface MovableBooking {
  id: string;
  householdId: string;
  contactId: string;
  version: number;
  start: string;
}

/** Options of {@link MoveForm}. */
export interface MoveFormProps {
  api: ConsoleApi;
  booking: MovableBooking;
  t: Translate;
  locale: Locale;
  /** Called once moved, with the new start. */
  onMoved: (start: string) => void;
  onBack: () => void;
}

/**
 * "改时间": the household's free slots with this contact (any time of the grid: the teacher agreed it with the
 * family), one to pick; the API's refusal (the slot was taken meanwhile, the booking changed…) shown under it.
 */
export function MoveForm({ api, booking, t, locale, onMoved, onBack }: MoveFormProps) {
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const from = new Date();
    const to = new Date(from.getTime() + LOOK_AHEAD_DAYS * 86_400_000);
    api
      .call('GET /api/bookings/available-slots', {
        query: {
          householdId: booking.householdId,
          contactId: booking.contactId,
          anyTime: 'true',
          exceptBookingId: booking.id,
          from: from.toISOString(),
          to: to.toISOString(),
        },
      })
      .then(
        (answer) => setSlots(answer.slots.filter((slot) => slot.start !== booking.start)),
        (problem: ApiError) => {
          setSlots([]);
          setError(problem);
        },
      );
  }, [api, booking.id]);

  return (
    <form
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        if (!chosen) return;
        setBusy(true);
        try {
          await api.call('POST /api/bookings/{id}/reschedule', {
            params: { id: booking.id },
            body: { start: chosen, version: booking.version },
          });
          onMoved(chosen);
        } catch (problem) {
          setError(problem as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      <div class="field">
        <label class="field-label" for={`move-${booking.id}`}>
          {t('console.calendar.move-to')}
        </label>
        {slots === null ? (
          <p class="cal-muted">{t('console.common.working')}</p>
        ) : slots.length === 0 ? (
          <p class="cal-muted">{t('console.calendar.no-free-slots')}</p>
        ) : (
          <select
            id={`move-${booking.id}`}
            class="field-input"
            value={chosen}
            onChange={(event) => setChosen(event.currentTarget.value)}
          >
            <option value="">{t('console.calendar.pick-slot')}</option>
            {slots.map((slot) => (
              <option key={slot.start} value={slot.start}>
                {slotLabel(slot, t, locale)}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {problemText(error, t)}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy} disabled={!chosen}>
          {t('console.calendar.move-confirm')}
        </Button>
        <Button kind="quiet" onClick={onBack}>
          {t('console.calendar.back')}
        </Button>
      </div>
    </form>
  );
}
