import type { ApiBody } from '@affection/server/contract';
import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useId, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { COUNTRIES, phoneWithCountry, RELATIONS, TIME_ZONES } from './contact-options.ts';

/** What the teacher types, kept as a draft so nothing is lost on a 401, a 409 or a lost connection. */
interface AddChildDraft {
  householdMode: 'new' | 'existing';
  householdName: string;
  householdId: string;
  householdLabel: string;
  familyName: string;
  givenName: string;
  className: string;
  birthYear: string;
  withContact: boolean;
  contactName: string;
  relation: string;
  country: string;
  phone: string;
  channel: 'video' | 'phone';
  city: string;
  timeZone: string;
}

const EMPTY: AddChildDraft = {
  householdMode: 'new',
  householdName: '',
  householdId: '',
  householdLabel: '',
  familyName: '',
  givenName: '',
  className: '',
  birthYear: '',
  withContact: true,
  contactName: '',
  relation: 'mother',
  country: '+86',
  phone: '',
  channel: 'video',
  city: '',
  timeZone: 'Asia/Shanghai',
};

/** Options of {@link AddChildForm}. */
export interface AddChildFormProps {
  api: ConsoleApi;
  t: Translate;
  locale: Locale;
  onCreated: (childId: string) => void;
  onCancel: () => void;
}

function SelectField({
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

/**
 * Adds a child in one step: the child, a new or an existing household, and the first contact (name, relation,
 * phone with its country, video or phone, city and time zone). The server makes all of it or none of it; its
 * field problems show beside the fields.
 */
export function AddChildForm({ api, t, locale, onCreated, onCancel }: AddChildFormProps) {
  const [draft, setDraft, clearDraft] = useDraft<AddChildDraft>('children.add', EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [matches, setMatches] = useState<{ id: string; name: string }[]>([]);
  const set = (patch: Partial<AddChildDraft>) => setDraft({ ...draft, ...patch });
  const problem = (path: string) => fieldProblem(error, path, locale);
  const modeName = useId();
  const channelName = useId();

  useEffect(() => {
    if (draft.householdMode !== 'existing' || draft.householdLabel.trim() === '' || draft.householdId) {
      setMatches([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .call('GET /api/households', {
          query: { search: draft.householdLabel.trim(), limit: 8 },
          signal: controller.signal,
        })
        .then(
          (page) => setMatches(page.items.map((h) => ({ id: h.id, name: h.name }))),
          () => undefined,
        );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, draft.householdMode, draft.householdLabel, draft.householdId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setLocalProblem(null);
    if (draft.householdMode === 'existing' && !draft.householdId) {
      setLocalProblem(t('console.children.add.pick-household'));
      return;
    }
    const includeContact = draft.householdMode === 'new' || draft.withContact;
    const birthYear = draft.birthYear.trim() === '' ? null : Number(draft.birthYear);
    const body: ApiBody<'POST /api/children/intake'> = {
      household: draft.householdMode === 'new' ? { name: draft.householdName } : { id: draft.householdId },
      child: {
        familyName: draft.familyName,
        givenName: draft.givenName,
        className: draft.className.trim() === '' ? null : draft.className,
        birthYear: birthYear !== null && Number.isFinite(birthYear) ? birthYear : null,
      },
      ...(includeContact
        ? {
            contact: {
              name: draft.contactName,
              relation: draft.relation as (typeof RELATIONS)[number],
              phone: phoneWithCountry(draft.country, draft.phone),
              channel: draft.channel,
              city: draft.city.trim() === '' ? null : draft.city,
              timeZone: draft.timeZone,
            },
          }
        : {}),
    };
    setBusy(true);
    try {
      const made = await api.call('POST /api/children/intake', { body });
      clearDraft();
      onCreated(made.child.id);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const fieldsWithProblems = new Set(error?.fields.map((f) => f.path) ?? []);
  const shownElsewhere = (path: string) =>
    ['household', 'household.name', 'household.id'].includes(path) ||
    path.startsWith('child.') ||
    path.startsWith('contact.');
  const general = error && (error.fields.length === 0 || [...fieldsWithProblems].some((p) => !shownElsewhere(p)));
  const withContact = draft.householdMode === 'new' || draft.withContact;

  return (
    <form class="card add-child" onSubmit={submit} noValidate aria-labelledby={`${modeName}-title`}>
      <h2 id={`${modeName}-title`}>{t('console.children.add.title')}</h2>
      <div class="form-columns">
        <fieldset class="form-group">
          <legend>{t('console.children.add.child')}</legend>
          <div class="field-row">
            <Field
              label={t('console.children.add.family-name')}
              value={draft.familyName}
              onValue={(familyName) => set({ familyName })}
              error={problem('child.familyName')}
              maxLength={20}
              required
            />
            <Field
              label={t('console.children.add.given-name')}
              value={draft.givenName}
              onValue={(givenName) => set({ givenName })}
              error={problem('child.givenName')}
              maxLength={20}
              required
            />
          </div>
          <div class="field-row">
            <Field
              label={t('console.children.add.class')}
              hint={t('console.children.add.class-hint')}
              value={draft.className}
              onValue={(className) => set({ className })}
              error={problem('child.className')}
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
              error={problem('child.birthYear')}
            />
          </div>

          <fieldset class="form-group inner">
            <legend>{t('console.children.add.household')}</legend>
            <div class="choice-row">
              <label class="choice">
                <input
                  type="radio"
                  name={modeName}
                  checked={draft.householdMode === 'new'}
                  onChange={() => set({ householdMode: 'new' })}
                />
                {t('console.children.add.household-new')}
              </label>
              <label class="choice">
                <input
                  type="radio"
                  name={modeName}
                  checked={draft.householdMode === 'existing'}
                  onChange={() => set({ householdMode: 'existing' })}
                />
                {t('console.children.add.household-existing')}
              </label>
            </div>
            {draft.householdMode === 'new' ? (
              <Field
                label={t('console.children.add.household-name')}
                hint={t('console.children.add.household-name-hint')}
                value={draft.householdName}
                onValue={(householdName) => set({ householdName })}
                error={problem('household.name') ?? problem('household')}
                maxLength={40}
                required
              />
            ) : (
              <div>
                <Field
                  label={t('console.children.add.household-search')}
                  type="search"
                  value={draft.householdLabel}
                  onValue={(householdLabel) => set({ householdLabel, householdId: '' })}
                  error={problem('household.id') ?? problem('household') ?? localProblem ?? undefined}
                />
                {draft.householdId ? (
                  <p class="picked">
                    {t('console.children.add.household-picked', { name: draft.householdLabel })}{' '}
                    <Button kind="quiet" onClick={() => set({ householdId: '' })}>
                      {t('console.children.add.household-change')}
                    </Button>
                  </p>
                ) : (
                  matches.length > 0 && (
                    <ul class="plain-list pick-list">
                      {matches.map((match) => (
                        <li key={match.id}>
                          <Button onClick={() => set({ householdId: match.id, householdLabel: match.name })}>
                            {match.name}
                          </Button>
                        </li>
                      ))}
                    </ul>
                  )
                )}
                <label class="choice">
                  <input
                    type="checkbox"
                    checked={draft.withContact}
                    onChange={(e) => set({ withContact: e.currentTarget.checked })}
                  />
                  {t('console.children.add.also-contact')}
                </label>
              </div>
            )}
          </fieldset>
        </fieldset>

        {withContact && (
          <fieldset class="form-group">
            <legend>{t('console.children.add.contact')}</legend>
            <div class="field-row">
              <Field
                label={t('console.children.add.contact-name')}
                value={draft.contactName}
                onValue={(contactName) => set({ contactName })}
                error={problem('contact.name')}
                maxLength={40}
                required
              />
              <SelectField
                label={t('console.children.add.relation')}
                value={draft.relation}
                onValue={(relation) => set({ relation })}
                error={problem('contact.relation')}
                options={RELATIONS.map((r) => ({ value: r, label: t(`console.relation.${r}`) }))}
              />
            </div>
            <div class="field-row phone-row">
              <SelectField
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
                error={problem('contact.phone')}
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
                error={problem('contact.city')}
                maxLength={40}
              />
              <SelectField
                label={t('console.children.add.time-zone')}
                value={draft.timeZone}
                onValue={(timeZone) => set({ timeZone })}
                error={problem('contact.timeZone')}
                options={TIME_ZONES.map((zone) => ({ value: zone, label: zone.replace('_', ' ') }))}
              />
            </div>
          </fieldset>
        )}
      </div>
      {general && error && (
        <p class="form-error" role="alert">
          {problemText(error, t, 'console.children.add.refused')}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {busy ? t('console.common.working') : t('console.children.add.submit')}
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
