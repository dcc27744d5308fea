import type { Translate } from '@affection/ui';
import type { Me } from './console-api.ts';
import { matchPath } from './router.ts';
import { SCREENS, type ScreenEntry } from './screen-list.ts';

/** Options of {@link TopBar}. */
export interface TopBarProps {
  t: Translate;
  me: Me;
  path: string;
  onSwitchLocale: () => void;
  onSignOut: () => void;
}

/** The product's name, the screens this person may open, the language switch, their account and sign-out. */
export function TopBar({ t, me, path, onSwitchLocale, onSignOut }: TopBarProps) {
  const entries = SCREENS.filter((entry) => entry.inNav !== false && entry.roles.includes(me.role));
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
      <span class="brand">{t('console.title')}</span>
      <nav class="nav" aria-label={t('console.nav.main')}>
        {daily.map(link)}
      </nav>
      <div class="topbar-end">
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
