import type { ApiError, Locale, Translate } from '@affection/ui';
import { fieldProblem } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { type FormProblems, useHoursForm } from './use-hours-form.ts';

/** One dated change as typed: closed all day, or open at these hours instead of the weekly ones. */
export interface SpecialDayDraft {
  date: string;
  closed: boolean;
  startTime: string;
  endTime: string;
  note: string;
}

/** Options of {@link SpecialDayForm}. */
export interface SpecialDayFormProps {
  t: Translate;
  locale: Locale;
  today: string;
  error: ApiError | null;
  busy: boolean;
  /** Counts this form's changes saved (after the calls were listed too): each empties the form. */
  savedCount: number;
  /** Saves a date that passed the form's own check. */
  onSubmit: (day: SpecialDayDraft) => void;
}

const EMPTY: SpecialDayDraft = { date: '', closed: false, startTime: '09:00', endTime: '11:30', note: '' };

/** One date: closed (a holiday) or special hours (the summer happy week), with a note. */
export function SpecialDayForm({ t, locale, today, error, busy, savedCount, onSubmit }: SpecialDayFormProps) {
  const { draft, setDraft, problems, submit } = useHoursForm<SpecialDayDraft>({
    key: 'hours.special-day',
    empty: EMPTY,
    savedCount,
    onSubmit,
    check: (typed) => {
      const own: FormProblems<SpecialDayDraft> = {};
      if (!typed.date) own.date = t('validation.required');
      else if (typed.date < today) own.date = t('validation.date_past');
      if (!typed.closed && typed.startTime >= typed.endTime) own.endTime = t('validation.time_order');
      return own;
    },
  });
  return (
    <form class="hours-form" noValidate onSubmit={submit}>
      <div class="hours-fields">
        <Field
          label={t('console.hours.date')}
          type="date"
          min={today}
          required
          value={draft.date}
          onValue={(date) => setDraft({ ...draft, date })}
          error={problems.date ?? fieldProblem(error, 'date', locale)}
        />
        <fieldset class="hours-kind">
          <legend class="field-label">{t('console.hours.what')}</legend>
          <label class="hours-radio">
            <input
              type="radio"
              name="special-kind"
              checked={!draft.closed}
              onChange={() => setDraft({ ...draft, closed: false })}
            />
            {t('console.hours.kind-special')}
          </label>
          <label class="hours-radio">
            <input
              type="radio"
              name="special-kind"
              checked={draft.closed}
              onChange={() => setDraft({ ...draft, closed: true })}
            />
            {t('console.hours.kind-closed')}
          </label>
        </fieldset>
        {!draft.closed && (
          <>
            <Field
              label={t('console.hours.start')}
              type="time"
              value={draft.startTime}
              onValue={(startTime) => setDraft({ ...draft, startTime })}
              error={fieldProblem(error, 'startTime', locale)}
            />
            <Field
              label={t('console.hours.end')}
              type="time"
              value={draft.endTime}
              onValue={(endTime) => setDraft({ ...draft, endTime })}
              error={problems.endTime ?? fieldProblem(error, 'endTime', locale)}
            />
          </>
        )}
        <Field
          label={t('console.hours.note-label')}
          hint={t('console.hours.special-note-hint')}
          maxLength={100}
          value={draft.note}
          onValue={(note) => setDraft({ ...draft, note })}
          error={fieldProblem(error, 'note', locale)}
        />
      </div>
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.hours.special-save')}
        </Button>
      </div>
    </form>
  );
}
