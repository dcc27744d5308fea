import type { ApiError, Translate } from '@affection/ui';
import { useEffect, useId, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { monthOf } from '../components/district/district-period.ts';
import type { ConsoleApi, Me } from './console-api.ts';
import { onDistrictHomesChanged, switchHome } from './switch-home.ts';

/** Options of {@link HomeSwitcher}. */
export interface HomeSwitcherProps {
  api: ConsoleApi;
  t: Translate;
  me: Me;
}

/** 当前之家: the district admin's choice of the Home the console works on (the district's Homes, or none). */
export function HomeSwitcher({ api, t, me }: HomeSwitcherProps) {
  const id = useId();
  const [homes, setHomes] = useState<{ id: string; name: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      api.call('GET /api/district/homes', { query: monthOf(new Date()), signal: controller.signal }).then(
        (answer) => setHomes(answer.homes.map((home) => ({ id: home.id, name: home.name }))),
        (failure: ApiError) => {
          if (!controller.signal.aborted) setProblem(problemText(failure, t));
        },
      );
    load();
    const stop = onDistrictHomesChanged(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, t, me.homeId]);

  const choose = async (homeId: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await switchHome(api, homeId === '' ? null : homeId);
    } catch (caught) {
      setProblem(problemText(caught as ApiError, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="home-switcher">
      <label for={id}>{t('console.district.current-home')}</label>
      <select
        id={id}
        value={me.homeId ?? ''}
        disabled={busy}
        onChange={(event) => choose(event.currentTarget.value)}
        data-testid="home-switcher"
      >
        <option value="">{t('console.district.no-home')}</option>
        {homes.map((home) => (
          <option key={home.id} value={home.id}>
            {home.name}
          </option>
        ))}
      </select>
      {problem && (
        <span class="form-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
