import type { Locale, Translate } from '@affection/ui';
import { MOOD_FACES } from '../children/call-words.ts';
import { formatInZone } from '../common/zoned-time.tsx';
import type { ChildCall } from './record-types.ts';

/** Options of {@link CallsCard}. */
export interface CallsCardProps {
  calls: readonly ChildCall[] | null;
  total: number;
  zone: string;
  t: Translate;
  locale: Locale;
}

/** Whole minutes, at least 1 for any time together. */
function minutesOf(seconds: number): number {
  return seconds > 0 ? Math.max(1, Math.round(seconds / 60)) : 0;
}

/** The call history, newest first: when, the outcome, minutes together and the face the child tapped. */
export function CallsCard({ calls, total, zone, t, locale }: CallsCardProps) {
  return (
    <section class="card record-card is-first" aria-labelledby="record-calls">
      <h2 id="record-calls">{t('console.record.calls')}</h2>
      {calls && calls.length === 0 && <p class="muted">{t('console.record.no-calls')}</p>}
      {calls && calls.length > 0 && (
        <table class="calls-table">
          <thead>
            <tr>
              <th scope="col">{t('console.record.call-when')}</th>
              <th scope="col">{t('console.record.call-outcome')}</th>
              <th scope="col">{t('console.record.call-minutes')}</th>
              <th scope="col">{t('console.record.call-mood')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => {
              const face = call.mood ? MOOD_FACES[call.mood - 1] : undefined;
              return (
                <tr key={call.callLogId}>
                  <td class="nowrap">{formatInZone(call.startedAt ?? call.slotStart, zone, locale, 'date-time')}</td>
                  <td>
                    <span class={`status status-outcome-${call.outcome ?? 'open'}`}>
                      {call.outcome ? t(`console.board.outcome.${call.outcome}`) : t('console.record.outcome-open')}
                    </span>
                  </td>
                  <td>{t('console.record.minutes', { n: minutesOf(call.overlapSeconds) })}</td>
                  <td>
                    {face ? (
                      <span
                        class="mood"
                        role="img"
                        aria-label={t(`console.record.mood-${call.mood}` as 'console.record.mood-1')}
                      >
                        {face}
                      </span>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {calls && total > calls.length && (
        <p class="muted">{t('console.record.calls-more', { shown: calls.length, total })}</p>
      )}
    </section>
  );
}
