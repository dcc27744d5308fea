import { type Locale, translator } from '@affection/ui';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConnectionBanner } from './components/common/connection-banner.tsx';
import { SignInScreen } from './screens/sign-in-screen.tsx';
import { connection } from './shell/connection.ts';
import { api } from './shell/console-api.ts';
import { clearDrafts } from './shell/drafts.ts';
import { readLocale, saveLocale } from './shell/locale.ts';
import { navigate, useHashRoute } from './shell/router.ts';
import { ScreenHost } from './shell/screen-host.tsx';
import { SCREENS } from './shell/screen-list.ts';
import { type SessionState, session } from './shell/session.ts';
import { TopBar } from './shell/top-bar.tsx';

/** Asks the server who is signed in (after a load or a reload); a network failure retries via the banner. */
function checkSession(): void {
  api.call('GET /api/auth/me').then(
    (answer) => session.signIn(answer),
    (error: { status?: number }) => {
      if (error.status === 401 || error.status === 403) session.signOut();
    },
  );
}

/**
 * The console: the sign-in until someone is signed in, then the top bar, the lost-connection
 * banner and the current screen. When the session expires under a screen, the sign-in shows over
 * it and the screen stays mounted, so nothing typed is lost.
 */
export function App() {
  const [locale, setLocale] = useState<Locale>(readLocale);
  const t = useMemo(() => translator(locale), [locale]);
  const [state, setState] = useState<SessionState>(session.state());
  const route = useHashRoute();

  useEffect(() => session.subscribe(setState), []);
  useEffect(() => {
    checkSession();
    return connection.onRetry(() => {
      if (session.state().kind === 'checking') checkSession();
    });
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const switchLocale = () => {
    const next: Locale = locale === 'zh-CN' ? 'en' : 'zh-CN';
    saveLocale(next);
    setLocale(next);
  };
  const signOut = async () => {
    try {
      await api.call('POST /api/auth/logout');
    } catch {
      // Already signed out on the server (401) or unreachable: forget the session here either way.
    }
    clearDrafts();
    session.signOut();
    navigate(SCREENS[0]?.path ?? '/');
  };

  if (state.kind === 'checking') {
    return (
      <>
        <ConnectionBanner t={t} />
        <p class="loading" role="status">
          {t('console.shell.loading')}
        </p>
      </>
    );
  }
  if (state.kind === 'signed-out') {
    return (
      <>
        <ConnectionBanner t={t} />
        <SignInScreen t={t} locale={locale} onSwitchLocale={switchLocale} />
      </>
    );
  }
  const me = state.me;
  return (
    <>
      <div class="app" inert={state.kind === 'expired'}>
        <TopBar api={api} t={t} me={me} path={route.path} onSwitchLocale={switchLocale} onSignOut={signOut} />
        <ConnectionBanner t={t} />
        <main id="main" class="main" tabIndex={-1}>
          <ScreenHost key={`${me.id}:${me.homeId ?? ''}`} api={api} me={me} t={t} locale={locale} route={route} />
        </main>
      </div>
      {state.kind === 'expired' && <SignInScreen t={t} locale={locale} expired onSwitchLocale={switchLocale} />}
    </>
  );
}
