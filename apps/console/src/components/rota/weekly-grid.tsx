import type { Translate } from '@affection/ui';
import { WEEKDAYS } from './rota-days.ts';

/** A row of the weekly grid: a staff member who can be put on duty. */
export interface GridPerson {
  staffId: string;
  displayName: string;
  role: 'admin' | 'teacher';
}

/** The key of a tick: weekday and staff member. */
export function tickKey(weekday: number, staffId: string): string {
  return `${weekday}|${staffId}`;
}

/** Options of {@link WeeklyGrid}. */
export interface WeeklyGridProps {
  t: Translate;
  people: readonly GridPerson[];
  /** Ticked cells, by {@link tickKey}. */
  ticks: ReadonlySet<string>;
  /** Called with a cell to turn on or off; absent: the grid is read-only. */
  onToggle?: (weekday: number, staffId: string) => void;
}

/**
 * 每周值日表: one row per staff member, one column per weekday (Monday to Sunday). The admin ticks
 * boxes (each a 44 px target, by keyboard or touch); everyone else reads "值日" in the cells.
 */
export function WeeklyGrid({ t, people, ticks, onToggle }: WeeklyGridProps) {
  return (
    <table class="rota-week">
      <caption class="rota-sr">{t('console.rota.week-title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.rota.teacher')}</th>
          {WEEKDAYS.map((weekday) => (
            <th scope="col" key={weekday}>
              {t(`console.weekday.${weekday}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {people.map((person) => (
          <tr key={person.staffId} data-staff={person.staffId}>
            <th scope="row">
              {person.displayName}
              {person.role === 'admin' && <span class="rota-role">{t('console.shell.role.admin')}</span>}
            </th>
            {WEEKDAYS.map((weekday) => {
              const on = ticks.has(tickKey(weekday, person.staffId));
              return (
                <td key={weekday} class={on ? 'rota-on' : undefined}>
                  {onToggle ? (
                    <label class="rota-tick">
                      <input
                        type="checkbox"
                        checked={on}
                        onChange={() => onToggle(weekday, person.staffId)}
                        aria-label={t('console.rota.tick', {
                          name: person.displayName,
                          weekday: t(`console.weekday.${weekday}`),
                        })}
                      />
                    </label>
                  ) : (
                    on && <span>{t('console.rota.on')}</span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
