import type { Locale, Translate } from '@affection/ui';
import { type DutyOverride, monthWeeks, namesOnDate, type PatternEntry, WEEKDAYS } from './rota-days.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** "12月8日 周二" of a calendar date. */
export function dayLabel(date: string, locale: Locale): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', day: 'numeric', weekday: 'short' });
    formats.set(locale, format);
  }
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** Options of {@link MonthCalendar}. */
export interface MonthCalendarProps {
  t: Translate;
  locale: Locale;
  /** `YYYY-MM`. */
  month: string;
  /** Today in the Home's zone. */
  today: string;
  pattern: readonly PatternEntry[];
  /** The month's dated changes. */
  overrides: readonly DutyOverride[];
  /** The day chosen for a change (the admin's form). */
  selected?: string;
  /** Called with a day the admin picks to change; absent: days cannot be picked. */
  onPick?: (date: string) => void;
}

/**
 * 值日日历: the month, Monday first; each day lists who is on duty after the dated changes. A name
 * added for the day is marked "＋调"; a name taken off is crossed out.
 */
export function MonthCalendar({ t, locale, month, today, pattern, overrides, selected, onPick }: MonthCalendarProps) {
  return (
    <table class="rota-month" data-month={month}>
      <thead>
        <tr>
          {WEEKDAYS.map((weekday) => (
            <th scope="col" key={weekday}>
              {t(`console.weekday.${weekday}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {monthWeeks(month).map((week) => (
          <tr key={week.find(Boolean)}>
            {week.map((date, i) => {
              if (!date) return <td key={`blank-${i}`} class="rota-day rota-day-blank" />;
              const names = namesOnDate(date, pattern, overrides);
              const classes = [
                'rota-day',
                date === today ? 'rota-day-today' : '',
                date === selected ? 'rota-day-selected' : '',
                names.some((n) => n.added || n.removed) ? 'rota-day-changed' : '',
              ];
              const label = dayLabel(date, locale);
              return (
                <td
                  key={date}
                  class={classes.filter(Boolean).join(' ')}
                  data-date={date}
                  aria-current={date === today ? 'date' : undefined}
                >
                  <div class="rota-day-head">
                    {onPick ? (
                      <button
                        type="button"
                        class="btn btn-quiet rota-day-pick"
                        aria-label={t('console.rota.pick-day', { date: label })}
                        aria-pressed={date === selected}
                        onClick={() => onPick(date)}
                      >
                        {Number(date.slice(8))}
                      </button>
                    ) : (
                      <span class="rota-day-number">{Number(date.slice(8))}</span>
                    )}
                    {date === today && <span class="rota-today-mark">{t('console.rota.today-mark')}</span>}
                  </div>
                  <ul class="rota-names">
                    {names.map((name) => (
                      <li
                        key={name.staffId}
                        class={name.removed ? 'rota-name-removed' : name.added ? 'rota-name-added' : undefined}
                        data-staff={name.staffId}
                      >
                        {name.removed ? <s>{name.displayName}</s> : name.displayName}
                        {name.added && <span class="rota-added-mark">{t('console.rota.added-mark')}</span>}
                        {name.removed && <span class="rota-sr">{t('console.rota.removed-sr')}</span>}
                      </li>
                    ))}
                  </ul>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
