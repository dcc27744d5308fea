import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';

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
  /** Checks and saves; answers true when saved (the form empties). */
  onSubmit: (closure: ClosureDraft) => Promise<boolean>;
}

const EMPTY: ClosureDraft = { from: '', to: '', note: '' };

/** 从…到…不开放: closes the Home every day of a range (a holiday), with a note. */
export function ClosureForm({ t, locale, today, error, busy, savedCount, onSubmit }: ClosureFormProps) {
  const [draft, setDraft, clearDraft] = useDraft<ClosureDraft>('hours.closure', EMPTY);
  useEffect(() => {
    if (savedCount === 0) return;
    setDraft(EMPTY);
    clearDraft();
  }, [savedCount]);
  const [problems, setProblems] = useState<Partial<Record<keyof ClosureDraft, string>>>({});
  return (
    <form
      class="hours-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const own: Partial<Record<keyof ClosureDraft, string>> = {};
        if (!draft.from) own.from = t('validation.required');
        else if (draft.from < today) own.from = t('validation.date_past');
        if (!draft.to) own.to = t('validation.required');
        else if (draft.from && draft.to < draft.from) own.to = t('validation.date_order');
        setProblems(own);
        if (Object.keys(own).length > 0) return;
        if (await onSubmit({ ...draft, note: draft.note.trim() })) clearDraft();
      }}
    >
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
