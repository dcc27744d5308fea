import type { ApiResponse } from '@affection/server/contract';
import type { ApiError } from '@affection/ui';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { EMPTY_HOME_DRAFT, type NewHomeDraft, NewHomeForm } from '../components/district/new-home-form.tsx';
import '../components/district/district.css';
import { PeriodPicker } from '../components/reports/period-picker.tsx';
import { dayInZone, monthCodeOf, periodOf, type ReportPeriod } from '../components/reports/report-period.ts';
import { makePassword } from '../components/staff/make-password.ts';
import { PasswordOnce } from '../components/staff/password-once.tsx';
import '../components/staff/staff.css';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';
import { districtHomesChanged, switchHome } from '../shell/switch-home.ts';

type DistrictHomes = ApiResponse<'GET /api/district/homes'>;

/**
 * 区县 (district admin): the district's Homes with their reach (children, children reached, calls completed) over a
 * period chosen as on the reports screen (this month first, last month, a term, any month of two years), a button to
 * work in each, and the form that creates a Home with its first admin, whose first password is made
 * here and shown once, as on the staff screen.
 */
export default function DistrictScreen({ api, me, t, locale, navigate }: ScreenProps) {
  // Today in the browser's zone (a county's Homes share one): the periods count from it.
  const [today] = useState(() => dayInZone(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [period, setPeriod] = useState<ReportPeriod>(() => periodOf(monthCodeOf(today)) as ReportPeriod);
  const [data, setData] = useState<DistrictHomes | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [draft, setDraft] = useState<NewHomeDraft>(EMPTY_HOME_DRAFT);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ name: string; password: string } | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);
  const [switchError, setSwitchError] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api.call('GET /api/district/homes', { query: { from: period.from, to: period.to }, signal }).then(
        (answer) => {
          setData(answer);
          setLoadError(null);
        },
        (failure: ApiError) => {
          if (!signal?.aborted) setLoadError(failure);
        },
      ),
    [api, period],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    const stop = connection.onRetry(() => load(controller.signal));
    return () => {
      stop();
      controller.abort();
    };
  }, [load]);

  const create = async () => {
    setBusy(true);
    const password = makePassword();
    try {
      const answer = await api.call('POST /api/district/homes', {
        body: {
          name: draft.name,
          timeZone: draft.timeZone,
          admin: { displayName: draft.adminName, username: draft.adminUsername.trim(), password },
        },
      });
      setFormError(null);
      setDraft(EMPTY_HOME_DRAFT);
      setMade({ name: answer.admin.displayName, password });
      districtHomesChanged();
      await load();
    } catch (caught) {
      setFormError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const workIn = async (homeId: string) => {
    setSwitching(homeId);
    setSwitchError(null);
    try {
      await switchHome(api, homeId);
      navigate('/children');
    } catch (caught) {
      setSwitchError(problemText(caught as ApiError, t));
    } finally {
      setSwitching(null);
    }
  };

  return (
    <section class="screen district-screen">
      <h1>{t('console.nav.district')}</h1>
      <p>{t('console.district.intro', { from: period.from, to: period.to })}</p>
      <PeriodPicker t={t} locale={locale} today={today} period={period} onPeriod={setPeriod} />
      {loadError && <Banner kind="warn">{problemText(loadError, t)}</Banner>}
      {switchError && <Banner kind="warn">{switchError}</Banner>}
      {data === null && !loadError && (
        <p class="loading" role="status">
          {t('console.shell.loading')}
        </p>
      )}
      {data && (
        <table class="district-table">
          <caption>{t('console.district.homes-caption', { district: data.district.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.district.home')}</th>
              <th scope="col">{t('console.district.children')}</th>
              <th scope="col">{t('console.district.reached')}</th>
              <th scope="col">{t('console.district.calls-completed')}</th>
              <th scope="col">{t('console.district.work-in')}</th>
            </tr>
          </thead>
          <tbody>
            {data.homes.map((home) => (
              <tr key={home.id} data-home={home.id}>
                <th scope="row" class={home.id === me.homeId ? 'district-current' : undefined}>
                  {home.name}
                  {home.id === me.homeId && ` · ${t('console.district.current')}`}
                </th>
                <td class="number">{home.reach.children}</td>
                <td class="number">
                  {home.reach.childrenReached}
                  {home.reach.reachedPercent !== null && ` (${home.reach.reachedPercent}%)`}
                </td>
                <td class="number">{home.reach.callsCompleted}</td>
                <td>
                  <Button busy={switching === home.id} onClick={() => workIn(home.id)}>
                    {t('console.district.work-in')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('console.district.new-home')}</h2>
      <p>{t('console.district.new-home-explain')}</p>
      <NewHomeForm
        t={t}
        locale={locale}
        draft={draft}
        onDraft={setDraft}
        onSubmit={create}
        busy={busy}
        error={formError}
      />
      {made && (
        <PasswordOnce t={t} name={made.name} password={made.password} kind="new" onClose={() => setMade(null)} />
      )}
    </section>
  );
}
