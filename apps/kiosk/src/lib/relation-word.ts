import type { Translate } from '@affection/ui';
import type { Relation } from '../api/kiosk-api.ts';
import { RELATION_KEYS } from '../audio/spoken-prompts.ts';

/** The word a child uses for who calls: 妈妈, 爸爸, 奶奶… */
export function relationWord(t: Translate, relation: Relation | undefined): string {
  return t(RELATION_KEYS[relation ?? 'other']);
}
