import type { ApiError, Locale, Translate } from '@affection/ui';
import { fieldProblem } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { type FormProblems, useHoursForm } from './use-hours-form.ts';

/** A closure as typed: closed from one day to another, with a note (国庆节). */
export interface ClosureDraft {
  from: string;
  to: string;
  note: string;
}

/** Options of {@link ClosureForm}. */
export interface ClosureFormProps {
  t: Translate;
  locale: Locale;
  /** Today in the Home's zone: the earliest day. */
  today: string;
  /** The refusal of the last try (its fields are shown beside the inputs). */
  error: ApiError | null;
  busy: boolean;
  /** Counts this form's changes saved (after the calls were listed too): each empties the form. */
  savedCount: number;
  /** Saves a closure that passed the form's own check. */
  onSubmit: (closure: ClosureDraft) => void;
}

const EMPTY: ClosureDraft = { from: '', to: '', note: '' };

/** 从…到…不开放: closes the Home every day of a range (a holiday), with a note. */
export function ClosureForm({ t, locale, today, error, busy, savedCount, onSubmit }: ClosureFormProps) {
  const { draft, setDraft, problems, submit } = useHoursForm<ClosureDraft>({
    key: 'hours.closure',
    empty: EMPTY,
    savedCount,
    onSubmit,
    check: (typed) => {
      const own: FormProblems<ClosureDraft> = {};
      if (!typed.from) own.from = t('validation.required');
      else if (typed.from < today) own.from = t('validation.date_past');
      if (!typed.to) own.to = t('validation.required');
      else if (typed.from && typed.to < typed.from) own.to = t('validation.date_order');
      return own;
    },
  });
  return (
    <form class="hours-form" noValidate onSubmit={submit}>
      <div class="hours-fields">
        <Field
          label={t('console.hours.closure-from')}
          type="date"
          min={today}
          required
          value={draft.from}
          onValue={(from) => setDraft({ ...draft, from, to: draft.to || from })}
          error={problems.from ?? fieldProblem(error, 'from', locale)}
        />
        <Field
          label={t('console.hours.closure-to')}
          type="date"
          min={draft.from || today}
          required
          value={draft.to}
          onValue={(to) => setDraft({ ...draft, to })}
          error={problems.to ?? fieldProblem(error, 'to', locale)}
        />
        <Field
          label={t('console.hours.note-label')}
          hint={t('console.hours.closure-note-hint')}
          maxLength={100}
          value={draft.note}
          onValue={(note) => setDraft({ ...draft, note })}
          error={fieldProblem(error, 'note', locale)}
        />
      </div>
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.hours.closure-save')}
        </Button>
      </div>
    </form>
  );
}
