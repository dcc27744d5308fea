import type { ApiError, Locale, Translate } from '@affection/ui';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { SelectField } from '../common/select-field.tsx';
import { TIME_ZONES } from '../settings/home-settings-fields.ts';

/** What the new-Home form holds. */
export interface NewHomeDraft {
  name: string;
  timeZone: string;
  adminName: string;
  adminUsername: string;
}

/** An empty form: Beijing time first. */
export const EMPTY_HOME_DRAFT: NewHomeDraft = {
  name: '',
  timeZone: 'Asia/Shanghai',
  adminName: '',
  adminUsername: '',
};

/** Options of {@link NewHomeForm}. */
export interface NewHomeFormProps {
  t: Translate;
  locale: Locale;
  draft: NewHomeDraft;
  onDraft: (draft: NewHomeDraft) => void;
  onSubmit: () => void;
  busy: boolean;
  error: ApiError | null;
}

/** The form that creates a Home with its first admin; the API's problems show beside each field. */
export function NewHomeForm({ t, locale, draft, onDraft, onSubmit, busy, error }: NewHomeFormProps) {
  const taken = error?.reason === 'username-taken' ? problemText(error, t) : undefined;
  return (
    <form
      class="district-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Field
        label={t('console.district.home-name')}
        value={draft.name}
        onValue={(name) => onDraft({ ...draft, name })}
        error={fieldProblem(error, 'name', locale)}
        required
        maxLength={60}
      />
      <SelectField
        label={t('console.settings.time-zone')}
        hint={t('console.settings.time-zone-hint')}
        value={draft.timeZone}
        onValue={(timeZone) => onDraft({ ...draft, timeZone })}
        options={TIME_ZONES.map((zone) => ({ value: zone.zone, label: t(zone.labelKey) }))}
        error={fieldProblem(error, 'timeZone', locale)}
      />
      <Field
        label={t('console.district.admin-name')}
        value={draft.adminName}
        onValue={(adminName) => onDraft({ ...draft, adminName })}
        error={fieldProblem(error, 'admin.displayName', locale)}
        required
        maxLength={40}
      />
      <Field
        label={t('console.district.admin-username')}
        hint={t('console.district.admin-username-hint')}
        value={draft.adminUsername}
        onValue={(adminUsername) => onDraft({ ...draft, adminUsername })}
        error={fieldProblem(error, 'admin.username', locale) ?? taken}
        required
        autoComplete="off"
        maxLength={40}
      />
      {error && error.fields.length === 0 && !taken && (
        <p class="form-error" role="alert">
          {problemText(error, t)}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.district.create')}
        </Button>
      </div>
    </form>
  );
}
