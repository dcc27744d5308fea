import { CATALOGS, type Locale, type MessageKey } from './catalogs.ts';

/** A message in the page's language, with its `{name}` placeholders filled in. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * The one translator over the zh-CN/en catalogs. A placeholder without a value stays visible
 * (`{name}`) rather than breaking the sentence.
 *
 * @example translator('zh-CN')('kiosk.call.minutes-left', { minutes: 3 })
 */
export function translator(locale: Locale): Translate {
  const messages = CATALOGS[locale];
  return (key, vars) => {
    const text = messages[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : text;
  };
}

// A set, not Object.hasOwn: older Android WebViews (inside WeChat) lack it.
const MESSAGE_KEYS: ReadonlySet<string> = new Set(Object.keys(CATALOGS['zh-CN']));

/** Whether `key` names a message of the catalogs (for keys built from a server's reason). */
export function isMessageKey(key: string): key is MessageKey {
  return MESSAGE_KEYS.has(key);
}
