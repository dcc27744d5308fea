import type { ApiResponse } from '@affection/server/contract';
import type { Locale, Translate } from '@affection/ui';
import { formatInZone } from '../common/zoned-time.tsx';
import { sinceLastCall } from './call-words.ts';

/** One row of the children list. */
export type ChildRow = ApiResponse<'GET /api/children'>['items'][number];

/** Options of {@link ChildrenTable}. */
export interface ChildrenTableProps {
  items: readonly ChildRow[];
  /** The Home's zone, for the call times. */
  zone: string;
  t: Translate;
  locale: Locale;
  onOpen: (childId: string) => void;
}

/** The children as a table: name (opens the record), class, household, paired teacher, last call, next call. */
export function ChildrenTable({ items, zone, t, locale, onOpen }: ChildrenTableProps) {
  return (
    <table class="children-table">
      <caption class="visually-hidden">{t('console.children.table-caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.children.col-name')}</th>
          <th scope="col">{t('console.children.col-class')}</th>
          <th scope="col">{t('console.children.col-household')}</th>
          <th scope="col">{t('console.children.col-teacher')}</th>
          <th scope="col">{t('console.children.col-last-call')}</th>
          <th scope="col">{t('console.children.col-next-call')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((child) => {
          const waitLong = child.daysWithoutContact >= 14;
          return (
            <tr key={child.id} class={child.archivedAt ? 'is-archived' : undefined}>
              <th scope="row">
                <a
                  class="child-link"
                  href={`#/children/${child.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    onOpen(child.id);
                  }}
                >
                  {child.familyName}
                  {child.givenName}
                </a>
                {child.archivedAt && <span class="tag">{t('console.children.archived')}</span>}
              </th>
              <td>{child.className ?? '—'}</td>
              <td>{child.householdName}</td>
              <td>
                {child.pairedTeachers.length > 0 ? (
                  child.pairedTeachers.map((teacher) => teacher.displayName).join('、')
                ) : (
                  <span class="muted">{t('console.children.no-teacher-short')}</span>
                )}
              </td>
              <td>
                {child.lastCallAt && (
                  <span class="nowrap">{formatInZone(child.lastCallAt, zone, locale, 'date')} </span>
                )}
                <span class={waitLong ? 'wait-long' : 'muted'}>{sinceLastCall(child, t)}</span>
              </td>
              <td>
                {child.nextCall ? (
                  <span class="nowrap">
                    {formatInZone(child.nextCall.startAt, zone, locale, 'date-time')}
                    {child.nextCall.status === 'proposed' && <span class="tag">{t('console.children.proposed')}</span>}
                  </span>
                ) : (
                  <span class="muted">{t('console.children.none-booked')}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
