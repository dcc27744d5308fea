import type { Translate } from '@affection/ui';

/** "3周前" / "5天前" / "今天": how long ago the last call was, in the teacher's words; "还没有通话" when never. */
export function sinceLastCall(
  child: { lastCallAt: string | null; weeksSinceLastCall: number | null; daysWithoutContact: number },
  t: Translate,
): string {
  if (!child.lastCallAt || child.weeksSinceLastCall === null) return t('console.children.never-called');
  if (child.weeksSinceLastCall >= 1) return t('console.children.weeks-ago', { n: child.weeksSinceLastCall });
  if (child.daysWithoutContact >= 1) return t('console.children.days-ago', { n: child.daysWithoutContact });
  return t('console.children.today');
}

/** The five mood faces the kiosk offers, 1 (sad) to 5 (happy). */
export const MOOD_FACES = ['😢', '🙁', '😐', '🙂', '😄'] as const;
