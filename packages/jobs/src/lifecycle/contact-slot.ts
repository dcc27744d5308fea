/**
 * Which of a booking's contacts a step or message is for: the first, or a three-way call's second. The second
 * contact's steps and messages are the first contact's, under the same name ending in `-2` (`confirm-sms-2`,
 * `ring-phone-2`): job ids and dedupe keys carry the name, so each contact's are their own.
 */
export type ContactSlot = 'first' | 'second';

/** The name of a first contact's step or message, as the second contact's. */
export type SecondContactName<K extends string> = `${K}-2`;

/** The ending a step kind or message name carries for a contact: none for the first, `-2` for the second. */
export function slotSuffix(slot: ContactSlot): '' | '-2' {
  return slot === 'first' ? '' : '-2';
}

/** Which contact a step kind or message name is for: `-2` names are the second contact's. */
export function contactSlotOf(name: string): ContactSlot {
  return name.endsWith('-2') ? 'second' : 'first';
}

/** The second contact's names of the first contact's `names`, in the same order. */
export function secondContactNames<const K extends string>(names: readonly K[]): SecondContactName<K>[] {
  return names.map((name): SecondContactName<K> => `${name}-2`);
}

/**
 * A table keyed by first-contact names, with the same entries again under the second contact's names.
 *
 * @example withSecondContact({ 'ring-phone': 0 }) → { 'ring-phone': 0, 'ring-phone-2': 0 }
 */
export function withSecondContact<K extends string, V>(
  table: Readonly<Record<K, V>>,
): Record<K | SecondContactName<K>, V> {
  const entries = Object.entries(table) as [K, V][];
  return Object.fromEntries([...entries, ...entries.map(([name, value]) => [`${name}-2`, value] as const)]) as Record<
    K | SecondContactName<K>,
    V
  >;
}
