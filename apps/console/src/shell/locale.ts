import { LOCALES, type Locale, pickLocale } from '@affection/ui';

const KEY = 'console.locale';

/** The locale chosen on this browser, else the browser's own preference (zh-CN first). */
export function readLocale(): Locale {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // storage blocked: fall back to the browser's languages
  }
  return pickLocale(navigator.languages);
}

/** Keeps the chosen locale for the next visit. */
export function saveLocale(locale: Locale): void {
  try {
    localStorage.setItem(KEY, locale);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}
