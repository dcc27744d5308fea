import type { Translate } from '@affection/ui';
import type { ConsoleApi, Me } from './console-api.ts';
import { HomeSwitcher } from './home-switcher.tsx';
import { matchPath } from './router.ts';
import { canOpen, consoleTitleKey, SCREENS, type ScreenEntry } from './screen-list.ts';

/** Options of {@link TopBar}. */
export interface TopBarProps {
  api: ConsoleApi;
  t: Translate;
  me: Me;
  path: string;
  onSwitchLocale: () => void;
  onSignOut: () => void;
}

/**
 * The product's name, the screens this person may open, a district admin's 当前之家 switcher, the language switch, their
 * account and sign-out.
 */
export function TopBar({ api, t, me, path, onSwitchLocale, onSignOut }: TopBarProps) {
  const entries = SCREENS.filter((entry) => entry.inNav !== false && canOpen(entry, me));
  const daily = entries.filter((entry) => (entry.group ?? 'daily') === 'daily');
  const manage = entries.filter((entry) => entry.group === 'manage');
  const link = (entry: ScreenEntry) => {
    const isCurrent = matchPath(entry.path, path) !== null || path.startsWith(`${entry.path}/`);
    return (
      <a key={entry.path} href={`#${entry.path}`} class="nav-link" aria-current={isCurrent ? 'page' : undefined}>
        {t(entry.titleKey)}
      </a>
    );
  };
  return (
    <header class="topbar">
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t('console.shell.skip')}
      </button>
      <span class="brand">{t(consoleTitleKey(me))}</span>
      <nav class="nav" aria-label={t('console.nav.main')}>
        {daily.map(link)}
      </nav>
      <div class="topbar-end">
        {me.role === 'district-admin' && <HomeSwitcher api={api} t={t} me={me} />}
        <button type="button" class="btn btn-quiet" onClick={onSwitchLocale}>
          {t('console.shell.language-switch')}
        </button>
        <a href="#/account" class="nav-link" aria-current={path === '/account' ? 'page' : undefined}>
          {me.displayName} · {t(`console.shell.role.${me.role}`)}
        </a>
        <button type="button" class="btn btn-quiet" onClick={onSignOut}>
          {t('console.shell.sign-out')}
        </button>
      </div>
      {manage.length > 0 && (
        <nav class="nav nav-manage" aria-label={t('console.nav.manage')}>
          <span class="nav-heading" aria-hidden="true">
            {t('console.nav.manage')}
          </span>
          {manage.map(link)}
        </nav>
      )}
    </header>
  );
}
