import type { Locale } from '@affection/ui';

/**
 * Names joined the way the language joins them: 小明、小红和小刚 / Ming, Hong and Gang.
 * Falls back to a plain list where the browser has no `Intl.ListFormat`.
 */
export function joinNames(names: readonly string[], locale: Locale): string {
  try {
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names);
  } catch {
    return names.join(locale === 'zh-CN' ? '、' : ', ');
  }
}
