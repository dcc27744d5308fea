import type { Locale, Translate } from '@affection/ui';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { EmptyState } from '../components/common/empty-state.tsx';
import type { ConsoleApi, Me } from './console-api.ts';
import { matchPath, navigate } from './router.ts';
import { canOpen, consoleTitleKey, homeViewOf, SCREENS, type ScreenEntry } from './screen-list.ts';
import type { RouteInfo, ScreenProps } from './screen-props.ts';

const loaded = new Map<ScreenEntry, ComponentType<ScreenProps>>();

/** Options of {@link ScreenHost}. */
export interface ScreenHostProps {
  api: ConsoleApi;
  me: Me;
  t: Translate;
  locale: Locale;
  route: Omit<RouteInfo, 'params'>;
}

/** Finds the screen of the route (the first one for `/`), loads its module once and shows it. */
export function ScreenHost({ api, me, t, locale, route }: ScreenHostProps) {
  const allowed = SCREENS.filter((entry) => canOpen(entry, me));
  let found: { entry: ScreenEntry; params: Record<string, string> } | null = null;
  for (const entry of allowed) {
    const params = matchPath(entry.path, route.path);
    if (params) {
      found = { entry, params };
      break;
    }
  }
  const landing = allowed[0];
  useEffect(() => {
    if (route.path === '/' && landing) navigate(landing.path);
  }, [route.path, landing]);

  const entry = found?.entry;
  const [, setVersion] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!entry) return;
    document.title = `${t(entry.titleKey)} · ${t(consoleTitleKey(me))}`;
    if (loaded.has(entry)) return;
    setFailed(false);
    entry.load().then(
      (module) => {
        loaded.set(entry, module.default);
        setVersion((v) => v + 1);
      },
      () => setFailed(true),
    );
  }, [entry, t, me]);

  if (route.path === '/') return null;
  if (!found || !entry) {
    // A screen this session may not open (the admin's) says so plainly, rather than that it does not exist.
    const isAdminsScreen = SCREENS.some((other) => matchPath(other.path, route.path) && !canOpen(other, me));
    return (
      <EmptyState message={t(isAdminsScreen ? 'console.shell.admin-only' : 'console.shell.not-found')}>
        {landing && <a href={`#${landing.path}`}>{t('console.shell.back-home')}</a>}
      </EmptyState>
    );
  }
  const Screen = loaded.get(entry);
  if (failed) {
    return (
      <EmptyState message={t('console.shell.load-failed')}>
        <button type="button" class="btn btn-plain" onClick={() => window.location.reload()}>
          {t('console.shell.retry')}
        </button>
      </EmptyState>
    );
  }
  if (!Screen) {
    return (
      <p class="loading" role="status">
        {t('console.shell.loading')}
      </p>
    );
  }
  return (
    <Screen
      api={api}
      me={homeViewOf(me)}
      t={t}
      locale={locale}
      navigate={navigate}
      route={{ ...route, params: found.params }}
    />
  );
}
