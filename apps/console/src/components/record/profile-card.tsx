import type { ApiError, Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import type { ChildRecord } from './record-types.ts';

interface ProfileDraft {
  familyName: string;
  givenName: string;
  className: string;
  birthYear: string;
}

/** Options of {@link ProfileCard}. */
export interface ProfileCardProps {
  api: ConsoleApi;
  child: ChildRecord;
  t: Translate;
  locale: Locale;
  onSaved: () => void;
}

/** Name, class and birth year, with an edit form (kept as a draft while typed). */
export function ProfileCard({ api, child, t, locale, onSaved }: ProfileCardProps) {
  const [editing, setEditing] = useState(false);
  const initial: ProfileDraft = {
    familyName: child.familyName,
    givenName: child.givenName,
    className: child.className ?? '',
    birthYear: child.birthYear === null ? '' : String(child.birthYear),
  };
  const [draft, setDraft, clearDraft] = useDraft<ProfileDraft>(`record.profile.${child.id}`, initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ProfileDraft>) => setDraft({ ...draft, ...patch });

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const year = draft.birthYear.trim() === '' ? null : Number(draft.birthYear);
    try {
      await api.call('PATCH /api/children/{id}', {
        params: { id: child.id },
        body: {
          familyName: draft.familyName,
          givenName: draft.givenName,
          className: draft.className.trim() === '' ? null : draft.className,
          birthYear: year !== null && Number.isFinite(year) ? year : null,
        },
      });
      clearDraft();
      setEditing(false);
      onSaved();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <section class="card record-card" aria-labelledby="record-profile">
        <div class="card-head">
          <h2 id="record-profile">{t('console.record.profile')}</h2>
          {!child.archivedAt && (
            <Button
              onClick={() => {
                setDraft(initial);
                setEditing(true);
              }}
            >
              {t('console.record.edit')}
            </Button>
          )}
        </div>
        <dl class="facts">
          <dt>{t('console.record.name')}</dt>
          <dd>
            {child.familyName}
            {child.givenName}
          </dd>
          <dt>{t('console.record.class')}</dt>
          <dd>{child.className ?? '—'}</dd>
          <dt>{t('console.record.birth-year')}</dt>
          <dd>{child.birthYear ?? '—'}</dd>
        </dl>
      </section>
    );
  }
  return (
    <form class="card record-card" onSubmit={save} noValidate aria-labelledby="record-profile">
      <h2 id="record-profile">{t('console.record.profile-edit')}</h2>
      <div class="field-row">
        <Field
          label={t('console.children.add.family-name')}
          value={draft.familyName}
          onValue={(familyName) => set({ familyName })}
          error={fieldProblem(error, 'familyName', locale)}
          maxLength={20}
          required
        />
        <Field
          label={t('console.children.add.given-name')}
          value={draft.givenName}
          onValue={(givenName) => set({ givenName })}
          error={fieldProblem(error, 'givenName', locale)}
          maxLength={20}
          required
        />
      </div>
      <div class="field-row">
        <Field
          label={t('console.children.add.class')}
          value={draft.className}
          onValue={(className) => set({ className })}
          error={fieldProblem(error, 'className', locale)}
          maxLength={40}
        />
        <Field
          label={t('console.children.add.birth-year')}
          type="number"
          inputMode="numeric"
          min={2000}
          max={2100}
          value={draft.birthYear}
          onValue={(birthYear) => set({ birthYear })}
          error={fieldProblem(error, 'birthYear', locale)}
        />
      </div>
      {error && error.fields.length === 0 && (
        <p class="form-error" role="alert">
          {problemText(error, t)}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.common.save')}
        </Button>
        <Button
          onClick={() => {
            clearDraft();
            setError(null);
            setEditing(false);
          }}
        >
          {t('console.common.cancel')}
        </Button>
      </div>
    </form>
  );
}
