import type { Locale, MessageKey, Translate } from '@affection/ui';
import { formatInZone } from '../common/zoned-time.tsx';
import type { CardContact, HouseholdCard } from './card-types.ts';

const weekdayKey = (weekday: number) => `console.weekday.${weekday}` as MessageKey;

/** `妈妈`, `奶奶/外婆`: a contact's relation in the page's language. */
export function relationWord(t: Translate, relation: CardContact['relation']): string {
  return t(`console.relation.${relation}` as MessageKey);
}

/**
 * The card's call times for one contact: each standing weekly call (`每周三 12:15`, the Home's
 * zone, with a note when the contact lives in another), else the next booked calls in the
 * contact's own zone; empty when nothing is booked.
 */
export function callTimeLines(
  t: Translate,
  locale: Locale,
  card: HouseholdCard,
  contact: CardContact,
  homeZone: string,
): string[] {
  const abroad = contact.timeZone !== homeZone;
  if (card.series.length > 0) {
    return card.series.map(
      (series) =>
        t('console.cards.series', { weekday: t(weekdayKey(series.weekday)), time: series.time }) +
        (abroad ? t('console.cards.zone-note') : ''),
    );
  }
  return card.nextCalls.map((call) =>
    t('console.cards.next-call', { when: formatInZone(call.start, contact.timeZone, locale, 'date-time') }),
  );
}

/** `周三 19:00–21:00、周五 20:00–21:00`: when the contact said they are free, in their own zone. */
export function freeTimesText(t: Translate, contact: CardContact): string {
  return contact.windows
    .map((window) => `${t(weekdayKey(window.weekday))} ${window.startTime}–${window.endTime}`)
    .join('、');
}
