import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

/** Languages the product speaks: Simplified Chinese first, English second. */
export const LOCALES = ['zh-CN', 'en'] as const;

/** One of {@link LOCALES}. */
export type Locale = (typeof LOCALES)[number];

/** A message key; zh-CN is the reference catalog. */
export type MessageKey = keyof typeof zhCN;

/** Every catalog, by locale. */
export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Picks the best supported locale for a list of preferences (e.g. `navigator.languages`); zh-CN by default. */
export function pickLocale(preferences: readonly string[]): Locale {
  for (const preference of preferences) {
    const lower = preference.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}
