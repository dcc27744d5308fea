import type { ApiError, Locale, Translate } from '@affection/ui';
import { useId, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { COUNTRIES, phoneWithCountry, RELATIONS, TIME_ZONES } from '../children/contact-options.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';

interface ContactDraft {
  name: string;
  relation: string;
  country: string;
  phone: string;
  channel: 'video' | 'phone';
  city: string;
  timeZone: string;
}

const EMPTY: ContactDraft = {
  name: '',
  relation: 'father',
  country: '+86',
  phone: '',
  channel: 'video',
  city: '',
  timeZone: 'Asia/Shanghai',
};

/** Options of {@link AddContactForm}. */
export interface AddContactFormProps {
  api: ConsoleApi;
  householdId: string;
  t: Translate;
  locale: Locale;
  onAdded: () => void;
  onCancel: () => void;
}

function Choice({
  label,
  value,
  onValue,
  options,
  error,
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id} class="field-label">
        {label}
      </label>
      <select
        id={id}
        class={`field-input${error ? ' field-input-error' : ''}`}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onValue(e.currentTarget.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <div id={`${id}-error`} class="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** Another contact for the household (a father, a grandmother at home…), not approved until the admin approves. */
export function AddContactForm({ api, householdId, t, locale, onAdded, onCancel }: AddContactFormProps) {
  const [draft, setDraft, clearDraft] = useDraft<ContactDraft>(`record.add-contact.${householdId}`, EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const channelName = useId();
  const set = (patch: Partial<ContactDraft>) => setDraft({ ...draft, ...patch });
  const problem = (path: string) => fieldProblem(error, path, locale);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('POST /api/contacts', {
        body: {
          householdId,
          name: draft.name,
          relation: draft.relation as (typeof RELATIONS)[number],
          phone: phoneWithCountry(draft.country, draft.phone),
          channel: draft.channel,
          city: draft.city.trim() === '' ? null : draft.city,
          timeZone: draft.timeZone,
        },
      });
      setDraft(EMPTY);
      clearDraft();
      onAdded();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-contact" onSubmit={submit} noValidate>
      <h3>{t('console.record.add-contact')}</h3>
      <div class="field-row">
        <Field
          label={t('console.children.add.contact-name')}
          value={draft.name}
          onValue={(name) => set({ name })}
          error={problem('name')}
          maxLength={40}
          required
        />
        <Choice
          label={t('console.children.add.relation')}
          value={draft.relation}
          onValue={(relation) => set({ relation })}
          error={problem('relation')}
          options={RELATIONS.map((r) => ({ value: r, label: t(`console.relation.${r}`) }))}
        />
      </div>
      <div class="field-row phone-row">
        <Choice
          label={t('console.children.add.country')}
          value={draft.country}
          onValue={(country) => {
            const zone = COUNTRIES.find((c) => c.code === country)?.zone;
            set({ country, ...(zone ? { timeZone: zone } : {}) });
          }}
          options={COUNTRIES.map((c) => ({ value: c.code, label: `${t(c.nameKey)} ${c.code}` }))}
        />
        <Field
          label={t('console.children.add.phone')}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={draft.phone}
          onValue={(phone) => set({ phone })}
          error={problem('phone')}
          required
        />
      </div>
      <fieldset class="form-group inner">
        <legend>{t('console.children.add.channel')}</legend>
        <div class="choice-row">
          <label class="choice">
            <input
              type="radio"
              name={channelName}
              checked={draft.channel === 'video'}
              onChange={() => set({ channel: 'video' })}
            />
            {t('console.channel.video')}
          </label>
          <label class="choice">
            <input
              type="radio"
              name={channelName}
              checked={draft.channel === 'phone'}
              onChange={() => set({ channel: 'phone' })}
            />
            {t('console.channel.phone')}
          </label>
        </div>
      </fieldset>
      <div class="field-row">
        <Field
          label={t('console.children.add.city')}
          value={draft.city}
          onValue={(city) => set({ city })}
          error={problem('city')}
          maxLength={40}
        />
        <Choice
          label={t('console.children.add.time-zone')}
          value={draft.timeZone}
          onValue={(timeZone) => set({ timeZone })}
          error={problem('timeZone')}
          options={TIME_ZONES.map((zone) => ({ value: zone, label: zone.replace('_', ' ') }))}
        />
      </div>
      {error && error.fields.length === 0 && (
        <p class="form-error" role="alert">
          {problemText(error, t)}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {t('console.record.add-contact-save')}
        </Button>
        <Button
          onClick={() => {
            setDraft(EMPTY);
            clearDraft();
            setError(null);
            onCancel();
          }}
        >
          {t('console.common.cancel')}
        </Button>
      </div>
    </form>
  );
}
