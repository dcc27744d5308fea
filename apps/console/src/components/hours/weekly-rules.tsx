import type { Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { type RuleDraft, WEEKDAYS } from './hours-types.ts';

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** What is wrong with one line of the timetable, as a message key: a bad time, the end first, an overlap. */
export function ruleProblem(rules: readonly RuleDraft[], index: number): string | null {
  const rule = rules[index]!;
  if (!TIME.test(rule.startTime) || !TIME.test(rule.endTime)) return 'validation.time';
  if (rule.startTime >= rule.endTime) return 'validation.time_order';
  const clash = rules.some(
    (other, i) =>
      i !== index &&
      other.weekday === rule.weekday &&
      TIME.test(other.startTime) &&
      TIME.test(other.endTime) &&
      other.startTime < rule.endTime &&
      rule.startTime < other.endTime,
  );
  return clash ? 'validation.overlap' : null;
}

/** Options of {@link WeeklyRules}. */
export interface WeeklyRulesProps {
  rules: readonly RuleDraft[];
  t: Translate;
  /** Absent: read only (a teacher). */
  onRules?: (rules: RuleDraft[]) => void;
  /** Problems from the server, by line (`0.startTime` …). */
  serverProblem?: (index: number) => string | undefined;
  /** Whether to show each line's own problem (after a first try to save). */
  showProblems: boolean;
}

/**
 * The weekly timetable: a row per weekday with its opening ranges. The admin changes the times, adds a range to a day
 * or removes one; a teacher reads it.
 */
export function WeeklyRules({ rules, t, onRules, serverProblem, showProblems }: WeeklyRulesProps) {
  const indexed = rules.map((rule, index) => ({ rule, index }));
  const change = (index: number, patch: Partial<RuleDraft>) =>
    onRules?.(rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));
  return (
    <table class="hours-table hours-week">
      <caption class="hours-sr">{t('console.hours.week-title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.hours.weekday')}</th>
          <th scope="col">{t('console.hours.ranges')}</th>
        </tr>
      </thead>
      <tbody>
        {WEEKDAYS.map((weekday) => {
          const day = indexed.filter(({ rule }) => rule.weekday === weekday);
          const dayName = t(`console.hours.weekday.${weekday}` as Parameters<Translate>[0]);
          return (
            <tr key={weekday} data-weekday={weekday}>
              <th scope="row">{dayName}</th>
              <td>
                {day.length === 0 && <span class="hours-muted">{t('console.hours.closed-all-day')}</span>}
                <ul class="hours-ranges">
                  {day.map(({ rule, index }) => {
                    const own = showProblems ? ruleProblem(rules, index) : null;
                    const problem = own ? t(own as Parameters<Translate>[0]) : serverProblem?.(index);
                    const errorId = `rule-${index}-error`;
                    if (!onRules) {
                      return (
                        <li key={index} class="hours-range">
                          {rule.startTime}–{rule.endTime}
                        </li>
                      );
                    }
                    return (
                      <li key={index} class="hours-range">
                        <label>
                          <span class="hours-sr">{t('console.hours.start-of', { day: dayName })}</span>
                          <input
                            type="time"
                            class={`field-input hours-time${problem ? ' field-input-error' : ''}`}
                            value={rule.startTime}
                            aria-invalid={problem ? true : undefined}
                            aria-describedby={problem ? errorId : undefined}
                            onInput={(e) => change(index, { startTime: e.currentTarget.value })}
                          />
                        </label>
                        <span aria-hidden="true">–</span>
                        <label>
                          <span class="hours-sr">{t('console.hours.end-of', { day: dayName })}</span>
                          <input
                            type="time"
                            class={`field-input hours-time${problem ? ' field-input-error' : ''}`}
                            value={rule.endTime}
                            aria-invalid={problem ? true : undefined}
                            aria-describedby={problem ? errorId : undefined}
                            onInput={(e) => change(index, { endTime: e.currentTarget.value })}
                          />
                        </label>
                        <Button
                          kind="quiet"
                          aria-label={t('console.hours.remove-range', {
                            day: dayName,
                            range: `${rule.startTime}–${rule.endTime}`,
                          })}
                          onClick={() => onRules(rules.filter((_, i) => i !== index))}
                        >
                          {t('console.hours.remove')}
                        </Button>
                        {problem && (
                          <div id={errorId} class="field-error" role="alert">
                            {problem}
                          </div>
                        )}
                      </li>
                    );
                  })}
                </ul>
                {onRules && (
                  <Button
                    kind="quiet"
                    aria-label={t('console.hours.add-range-of', { day: dayName })}
                    onClick={() => {
                      const last = day.at(-1)?.rule;
                      const next =
                        last && last.endTime < '16:30'
                          ? { startTime: '16:30', endTime: '18:00' }
                          : { startTime: '12:00', endTime: '13:30' };
                      onRules([...rules, { weekday, ...next }]);
                    }}
                  >
                    {t('console.hours.add-range')}
                  </Button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
