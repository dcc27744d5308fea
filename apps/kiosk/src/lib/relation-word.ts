import type { MessageKey, Translate } from '@affection/ui';
import type { Relation } from '../api/kiosk-api.ts';

/** The catalog word for each relation (妈妈, 爸爸…), in the order the recorded clips are listed. */
export const RELATION_KEYS: Record<Relation, MessageKey> = {
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
