import { CATALOGS, type Locale, type MessageKey } from '@affection/ui';
import type { Relation } from '../api/kiosk-types.ts';

/** A message with its `{name}` placeholders filled. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The translator for `locale`; a missing placeholder stays visible rather than breaking the sentence. */
export function translatorFor(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, params = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined ? whole : String(params[name]),
    );
}

const RELATION_KEYS: Record<Relation, MessageKey> = {
  mother: 'kiosk.relation.mother',
  father: 'kiosk.relation.father',
  grandmother: 'kiosk.relation.grandmother',
  grandfather: 'kiosk.relation.grandfather',
  guardian: 'kiosk.relation.guardian',
  other: 'kiosk.relation.other',
};

/** The word a child uses for who calls: 妈妈, 爸爸, 奶奶… */
export function relationWord(t: Translate, relation: Relation | undefined): string {
  return t(RELATION_KEYS[relation ?? 'other']);
}
