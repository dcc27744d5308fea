import type { ApiError, Locale, Translate } from '@affection/ui';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { SelectField } from '../common/select-field.tsx';
import type { StaffDraft } from './staff-types.ts';

/** Options of {@link StaffForm}. */
export interface StaffFormProps {
  t: Translate;
  locale: Locale;
  draft: StaffDraft;
  onDraft: (draft: StaffDraft) => void;
  onSubmit: () => void;
  onCancel: () => void;
  busy: boolean;
  error: ApiError | null;
  /** The submit button's words. */
  submitLabel: string;
}

/** Name, role and the two sign-in names (a username, a phone number, or both); the API's problems at each field. */
export function StaffForm({ t, locale, draft, onDraft, onSubmit, onCancel, busy, error, submitLabel }: StaffFormProps) {
  const set = (patch: Partial<StaffDraft>) => onDraft({ ...draft, ...patch });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Field
        label={t('console.staff.display-name')}
        hint={t('console.staff.display-name-hint')}
        value={draft.displayName}
        onValue={(displayName) => set({ displayName })}
        maxLength={40}
        error={fieldProblem(error, 'displayName', locale)}
        required
      />
      <SelectField
        label={t('console.staff.role')}
        value={draft.role}
        onValue={(role) => set({ role: role as StaffDraft['role'] })}
        options={[
          { value: 'teacher', label: t('console.shell.role.teacher') },
          { value: 'admin', label: t('console.shell.role.admin') },
        ]}
        error={fieldProblem(error, 'role', locale)}
      />
      <Field
        label={t('console.staff.username')}
        hint={t('console.staff.username-hint')}
        value={draft.username}
        onValue={(username) => set({ username })}
        autoComplete="off"
        maxLength={40}
        error={
          fieldProblem(error, 'username', locale) ??
          (error?.reason === 'username-taken' ? problemText(error, t) : undefined)
        }
      />
      <Field
        label={t('console.staff.phone')}
        hint={t('console.staff.phone-hint')}
        type="tel"
        inputMode="tel"
        value={draft.phone}
        onValue={(phone) => set({ phone })}
        autoComplete="off"
        maxLength={32}
        error={
          fieldProblem(error, 'phone', locale) ?? (error?.reason === 'phone-taken' ? problemText(error, t) : undefined)
        }
      />
      {error && error.fields.length === 0 && error.reason !== 'username-taken' && error.reason !== 'phone-taken' && (
        <p class="form-error" role="alert">
          {problemText(error, t)}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {submitLabel}
        </Button>
        <Button onClick={onCancel}>{t('console.staff.cancel')}</Button>
      </div>
    </form>
  );
}
