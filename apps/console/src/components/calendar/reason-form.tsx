import type { ApiError, Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';

/** Options of {@link ReasonForm}. */
export interface ReasonFormProps {
  /** Where the typed reason is kept until it is saved (a lost session or a refusal loses nothing). */
  draftKey: string;
  label: string;
  hint?: string;
  submitLabel: string;
  t: Translate;
  locale: Locale;
  /** Sends the reason; answers the error to show, or null when done. */
  onSubmit: (reason: string) => Promise<ApiError | null>;
  onBack: () => void;
}

/** A reason (cancel, decline) typed by the teacher and sent; the API's refusal shown under it. */
export function ReasonForm({ draftKey, label, hint, submitLabel, t, locale, onSubmit, onBack }: ReasonFormProps) {
  const [draft, setDraft, clearDraft] = useDraft(draftKey, { reason: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        if (!draft.reason.trim()) {
          setMissing(true);
          return;
        }
        setBusy(true);
        const problem = await onSubmit(draft.reason.trim());
        setBusy(false);
        setError(problem);
        if (!problem) clearDraft();
      }}
    >
      <Field
        label={label}
        hint={hint}
        multiline
        maxLength={500}
        required
        value={draft.reason}
        onValue={(reason) => {
          setMissing(false);
          setDraft({ reason });
        }}
        error={missing ? t('console.calendar.reason-required') : (fieldProblem(error, 'reason', locale) ?? undefined)}
      />
      {error && !fieldProblem(error, 'reason', locale) && (
        <p class="form-error" role="alert">
          {problemText(error, t)}
        </p>
      )}
      <div class="form-actions">
        <Button kind="danger" submit busy={busy}>
          {submitLabel}
        </Button>
        <Button kind="quiet" onClick={onBack}>
          {t('console.calendar.back')}
        </Button>
      </div>
    </form>
  );
}
