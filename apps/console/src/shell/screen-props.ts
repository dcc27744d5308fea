import type { Locale, Translate } from '@affection/ui';
import type { ConsoleApi, Me } from './console-api.ts';

/** Where the page is: `#/children/chd_…?tab=diary` → path `/children/chd_…`, params from the pattern, query. */
export interface RouteInfo {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** What every screen receives from the shell. */
export interface ScreenProps {
  /** The one typed client (session cookie, CSRF token, 401 → sign-in over the screen, 5xx → banner). */
  api: ConsoleApi;
  /** The signed-in staff member. */
  me: Me;
  /** Messages in the page's language. */
  t: Translate;
  locale: Locale;
  /** Goes to another screen, e.g. `navigate('/children/chd_…')`. */
  navigate(path: string): void;
  route: RouteInfo;
}
