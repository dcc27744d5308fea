import { CATALOGS, type Locale, type MessageKey } from '@affection/ui';

/** A message in the page's language, with `{name}` placeholders filled in. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The {@link Translate} of a locale. */
export function translator(locale: Locale): Translate {
  const messages = CATALOGS[locale];
  return (key, vars) => {
    const text = messages[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : text;
  };
}

/** Whether `key` names a message (for keys built from a server's reason). */
export function isMessageKey(key: string): key is MessageKey {
  return key in CATALOGS['zh-CN'];
}

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
