import type { ApiResponse } from '@affection/server/contract';
import { ApiError, type Locale, type Translate } from '@affection/ui';
import { useEffect, useId, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { SelectField } from '../common/select-field.tsx';
import { dayLabel } from './month-calendar.tsx';
import type { GridPerson } from './weekly-grid.tsx';

type OnDate = ApiResponse<'GET /api/duty'>;
type Kind = 'add' | 'remove' | 'swap';

/** Options of {@link OverrideForm}. */
export interface OverrideFormProps {
  api: ConsoleApi;
  t: Translate;
  locale: Locale;
  /** The day to change (`YYYY-MM-DD`, or empty). */
  date: string;
  onDate: (date: string) => void;
  /** Active staff who can be put on duty. */
  people: readonly GridPerson[];
  /** Called after a change was saved, with what to tell the teacher. */
  onSaved: (message: string) => void;
  /** Called after the API refused a change: the day may have changed meanwhile, so read it again. */
  onRefused: () => void;
  /** Changes whenever the screen read the rota's days again: the form reads its day again too. */
  version: number;
}

/**
 * 调班: change one day without touching the weekly rota — add a teacher, take one off, or swap
 * (one off and another on, the same day). Taking off someone who was only added that day deletes
 * the addition, and adding back someone taken off deletes the removal, so a day holds at most one
 * change per person (the API refuses a second). A swap whose second half is refused is undone.
 */
export function OverrideForm({ api, t, locale, date, onDate, people, onSaved, onRefused, version }: OverrideFormProps) {
  const [kind, setKind] = useState<Kind>('swap');
  const [off, setOff] = useState('');
  const [on, setOn] = useState('');
  const [day, setDay] = useState<OnDate | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const kindName = useId();

  useEffect(() => {
    setDay(null);
    setOff('');
    setOn('');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    const controller = new AbortController();
    api.call('GET /api/duty', { query: { date }, signal: controller.signal }).then(
      (answer) => setDay(answer),
      (failure: ApiError) => {
        if (!controller.signal.aborted) setError(failure);
      },
    );
    return () => controller.abort();
  }, [api, date, version]);

  const onDutyIds = new Set(day?.staff.map((s) => s.staffId) ?? []);
  const canTakeOff = people.filter((p) => onDutyIds.has(p.staffId));
  const canPutOn = people.filter((p) => !onDutyIds.has(p.staffId));
  const choicesOf = (choices: readonly GridPerson[]) => [
    { value: '', label: t('console.rota.choose') },
    ...choices.map((p) => ({ value: p.staffId, label: p.displayName })),
  ];
  const changeOf = (staffId: string) => day?.overrides.find((o) => o.staffId === staffId);

  /** Takes `staffId` off duty that day; answers the change made, to undo it. */
  const takeOff = async (staffId: string): Promise<() => Promise<unknown>> => {
    const added = changeOf(staffId);
    if (added?.kind === 'add') {
      await api.call('DELETE /api/duty/overrides/{id}', { params: { id: added.id } });
      return () => api.call('POST /api/duty/overrides', { body: { date, staffId, kind: 'add' } });
    }
    const made = await api.call('POST /api/duty/overrides', { body: { date, staffId, kind: 'remove' } });
    return () => api.call('DELETE /api/duty/overrides/{id}', { params: { id: made.id } });
  };
  const putOn = async (staffId: string): Promise<void> => {
    const removed = changeOf(staffId);
    if (removed?.kind === 'remove') {
      await api.call('DELETE /api/duty/overrides/{id}', { params: { id: removed.id } });
      return;
    }
    await api.call('POST /api/duty/overrides', { body: { date, staffId, kind: 'add' } });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (!date) return setProblem(t('console.rota.pick-date'));
    if ((kind !== 'add' && !off) || (kind !== 'remove' && !on)) return setProblem(t('console.rota.pick-teacher'));
    setProblem('');
    setBusy(true);
    try {
      if (kind === 'add') await putOn(on);
      else if (kind === 'remove') await takeOff(off);
      else {
        const undo = await takeOff(off);
        try {
          await putOn(on);
        } catch (failure) {
          await undo().catch(() => undefined);
          throw failure;
        }
      }
      onSaved(t('console.rota.override-saved', { date: dayLabel(date, locale) }));
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      setError(failure);
      onRefused();
    } finally {
      setBusy(false);
    }
  };

  const dateProblem = fieldProblem(error, 'date', locale);
  const separator = t('console.rota.separator');
  return (
    <form class="card rota-override" onSubmit={submit} noValidate>
      <h2>{t('console.rota.override-title')}</h2>
      <p class="rota-hint">{t('console.rota.override-hint')}</p>
      <div class="rota-override-row">
        <div class="rota-field">
          <Field
            label={t('console.rota.date')}
            type="date"
            name="date"
            value={date}
            onValue={(value) => {
              setError(null);
              onDate(value);
            }}
            error={dateProblem}
          />
        </div>
        <fieldset class="rota-kinds">
          <legend class="field-label">{t('console.rota.kind')}</legend>
          {(['add', 'remove', 'swap'] as const).map((value) => (
            <label key={value} class="rota-kind">
              <input
                type="radio"
                name={kindName}
                value={value}
                checked={kind === value}
                onChange={() => {
                  setKind(value);
                  setProblem('');
                }}
              />
              {t(`console.rota.kind-${value}`)}
            </label>
          ))}
        </fieldset>
      </div>
      {day && (
        <p class="rota-that-day" aria-live="polite">
          {day.staff.length > 0
            ? t('console.rota.on-that-day', { names: day.staff.map((s) => s.displayName).join(separator) })
            : t('console.rota.nobody-that-day')}
        </p>
      )}
      <div class="rota-override-row">
        {kind !== 'add' && (
          <div class="rota-field">
            <SelectField
              label={kind === 'swap' ? t('console.rota.swap-out') : t('console.rota.who')}
              value={off}
              onValue={setOff}
              options={choicesOf(canTakeOff)}
            />
          </div>
        )}
        {kind !== 'remove' && (
          <div class="rota-field">
            <SelectField
              label={kind === 'swap' ? t('console.rota.swap-in') : t('console.rota.who')}
              value={on}
              onValue={setOn}
              options={choicesOf(canPutOn)}
            />
          </div>
        )}
      </div>
      {(problem || (error && !dateProblem)) && (
        <p class="form-error" role="alert">
          {problem || (error ? problemText(error, t) : '')}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.rota.override-save')}
        </Button>
      </div>
    </form>
  );
}
