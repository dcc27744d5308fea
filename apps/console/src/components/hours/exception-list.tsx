import type { Locale, Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { EmptyState } from '../common/empty-state.tsx';
import type { OpeningException } from './hours-types.ts';
import { dateWords } from './outside-bookings-dialog.tsx';

/** Options of {@link ExceptionList}. */
export interface ExceptionListProps {
  exceptions: readonly OpeningException[];
  t: Translate;
  locale: Locale;
  /** Absent: read only (a teacher). */
  onDelete?: (exception: OpeningException) => void;
  /** The exception being deleted. */
  busyId?: string | null;
}

/** The coming dated changes: closed days (holidays) and special hours (a happy week), by date. */
export function ExceptionList({ exceptions, t, locale, onDelete, busyId }: ExceptionListProps) {
  if (exceptions.length === 0) return <EmptyState message={t('console.hours.no-exceptions')} />;
  return (
    <table class="hours-table hours-exceptions">
      <caption class="hours-sr">{t('console.hours.dates-title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.hours.date')}</th>
          <th scope="col">{t('console.hours.what')}</th>
          <th scope="col">{t('console.hours.note')}</th>
          {onDelete && <th scope="col">{t('console.hours.actions')}</th>}
        </tr>
      </thead>
      <tbody>
        {exceptions.map((e) => (
          <tr key={e.id} data-exception={e.date}>
            <td>{dateWords(e.date, locale)}</td>
            <td>
              {e.closed ? (
                <strong>{t('console.hours.closed')}</strong>
              ) : (
                t('console.hours.special', { range: `${e.startTime}–${e.endTime}` })
              )}
            </td>
            <td>{e.note ?? ''}</td>
            {onDelete && (
              <td>
                <Button
                  kind="quiet"
                  busy={busyId === e.id}
                  aria-label={t('console.hours.delete-of', { date: dateWords(e.date, locale) })}
                  onClick={() => onDelete(e)}
                >
                  {t('console.hours.delete')}
                </Button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
