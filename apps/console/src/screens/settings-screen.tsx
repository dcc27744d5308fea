import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { fieldProblem, problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { Field } from '../components/common/field.tsx';
import { SelectField } from '../components/common/select-field.tsx';
import { NUMBER_SETTINGS, type NumberSetting, TIME_ZONES } from '../components/settings/home-settings-fields.ts';
import '../components/settings/settings.css';
import type { ApiBody, ApiResponse } from '@affection/server/contract';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type Home = ApiResponse<'GET /api/home'>;
type Patch = ApiBody<'PATCH /api/home'>;
type Form = { name: string; timeZone: string; smsSignName: string } & Record<NumberSetting['name'], string>;

function formOf(home: Home): Form {
  const form = { name: home.name, timeZone: home.timeZone, smsSignName: home.smsSignName ?? '' } as Form;
  for (const setting of NUMBER_SETTINGS) form[setting.name] = String(home[setting.name]);
  return form;
}

/**
 * 之家设置 (admin): the Home's name, time zone, its own SMS signature (empty: the installation's) and booking settings. Each number shows the range the
 * API enforces beside it; the API's own message for a value it refuses is shown at that field.
 * Only what changed is sent.
 */
export default function SettingsScreen({ api, t, locale }: ScreenProps) {
  const [home, setHome] = useState<Home | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [empty, setEmpty] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<'saved' | 'unchanged' | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      api.call('GET /api/home', { signal: controller.signal }).then(
        (answer) => {
          setHome(answer);
          setForm((current) => current ?? formOf(answer));
          setLoadError(null);
        },
        (failure: ApiError) => {
          if (!controller.signal.aborted) setLoadError(failure);
        },
      );
    load();
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api]);

  if (!home || !form) {
    return (
      <section class="screen narrow">
        <h1>{t('console.nav.settings')}</h1>
        {loadError ? (
          <Banner kind="warn">{problemText(loadError, t)}</Banner>
        ) : (
          <p class="loading" role="status">
            {t('console.shell.loading')}
          </p>
        )}
      </section>
    );
  }

  const set = (patch: Partial<Form>) => {
    setForm({ ...form, ...patch });
    setSaved(null);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const missing = NUMBER_SETTINGS.filter((s) => form[s.name].trim() === '').map((s) => s.name as string);
    if (form.name.trim() === '') missing.push('name');
    setEmpty(missing);
    if (missing.length > 0) return;
    const patch: Patch = {};
    if (form.name !== home.name) patch.name = form.name;
    if (form.timeZone !== home.timeZone) patch.timeZone = form.timeZone;
    const signName = form.smsSignName.trim();
    if (signName !== (home.smsSignName ?? '')) patch.smsSignName = signName === '' ? null : signName;
    for (const setting of NUMBER_SETTINGS) {
      const value = Number(form[setting.name].trim());
      if (value !== home[setting.name]) patch[setting.name] = value;
    }
    if (Object.keys(patch).length === 0) {
      setError(null);
      setSaved('unchanged');
      return;
    }
    setBusy(true);
    try {
      const answer = await api.call('PATCH /api/home', { body: patch });
      setHome(answer);
      setForm(formOf(answer));
      setError(null);
      setSaved('saved');
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const problemAt = (name: string) =>
    empty.includes(name) ? t('validation.required') : fieldProblem(error, name, locale);
  const zones = TIME_ZONES.some((z) => z.zone === home.timeZone)
    ? TIME_ZONES
    : [...TIME_ZONES, { zone: home.timeZone, labelKey: null }];

  return (
    <section class="screen narrow settings-screen">
      <h1>{t('console.nav.settings')}</h1>
      <p>{t('console.settings.intro')}</p>
      <form class="card" onSubmit={submit} noValidate aria-label={t('console.nav.settings')}>
        <Field
          label={t('console.settings.name')}
          value={form.name}
          onValue={(name) => set({ name })}
          hint={t('console.settings.name-hint')}
          maxLength={60}
          error={problemAt('name')}
          required
        />
        <SelectField
          label={t('console.settings.time-zone')}
          hint={t('console.settings.time-zone-hint')}
          value={form.timeZone}
          onValue={(timeZone) => set({ timeZone })}
          options={zones.map((z) => ({ value: z.zone, label: z.labelKey ? `${t(z.labelKey)} (${z.zone})` : z.zone }))}
          error={fieldProblem(error, 'timeZone', locale)}
        />
        <Field
          label={t('console.settings.sms-sign-name')}
          value={form.smsSignName}
          onValue={(smsSignName) => set({ smsSignName })}
          hint={t('console.settings.sms-sign-name-hint')}
          maxLength={12}
          error={fieldProblem(error, 'smsSignName', locale)}
        />
        <h2>{t('console.settings.booking-title')}</h2>
        <div class="settings-numbers">
          {NUMBER_SETTINGS.map((setting) => (
            <Field
              key={setting.name}
              label={t(setting.labelKey)}
              type="number"
              inputMode="numeric"
              name={setting.name}
              min={setting.min}
              max={setting.max}
              value={form[setting.name]}
              onValue={(value) => set({ [setting.name]: value } as Partial<Form>)}
              hint={t(`console.settings.range-${setting.unit}`, { min: setting.min, max: setting.max })}
              error={problemAt(setting.name)}
              required
            />
          ))}
        </div>
        {error && error.fields.length === 0 && (
          <p class="form-error" role="alert">
            {problemText(error, t)}
          </p>
        )}
        {error && error.fields.length > 0 && (
          <p class="form-error" role="alert">
            {t('console.settings.fix-fields')}
          </p>
        )}
        {saved === 'saved' && <Banner kind="ok">{t('console.settings.saved')}</Banner>}
        {saved === 'unchanged' && <Banner kind="info">{t('console.settings.unchanged')}</Banner>}
        <div class="form-actions">
          <Button kind="primary" submit busy={busy}>
            {t('console.settings.save')}
          </Button>
          <Button
            onClick={() => {
              setForm(formOf(home));
              setError(null);
              setEmpty([]);
              setSaved(null);
            }}
          >
            {t('console.settings.undo')}
          </Button>
        </div>
      </form>
    </section>
  );
}
