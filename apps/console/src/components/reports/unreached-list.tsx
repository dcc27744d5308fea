import type { ApiResponse } from '@affection/server/contract';
import type { Locale, Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { EmptyState } from '../common/empty-state.tsx';
import { childName, count, dayLabel } from './report-words.ts';

type Unreached = ApiResponse<'GET /api/reports/summary'>['unreached']['items'][number];

/** Options of {@link UnreachedList}. */
export interface UnreachedListProps {
  t: Translate;
  locale: Locale;
  /** Children with no call in the period, in all. */
  total: number;
  /** Those read so far. */
  items: readonly Unreached[];
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
}

/**
 * The children with no call that took place in the period: name (opening the child's record, to book a call),
 * class and the last call before; "更多" reads the next page.
 */
export function UnreachedList({ t, locale, total, items, hasMore, loadingMore, onMore }: UnreachedListProps) {
  return (
    <section class="card unreached" aria-labelledby="report-unreached">
      <h2 id="report-unreached">{t('console.reports.unreached.title')}</h2>
      {total === 0 ? (
        <EmptyState message={t('console.reports.unreached.none')} />
      ) : (
        <>
          <p>
            <strong>{t('console.reports.unreached.count', { total: count(total, locale) })}</strong>{' '}
            {t('console.reports.unreached.intro')}
          </p>
          <table class="report-table unreached-table">
            <thead>
              <tr>
                <th scope="col">{t('console.reports.col.name')}</th>
                <th scope="col">{t('console.reports.col.class')}</th>
                <th scope="col">{t('console.reports.col.last-call')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((child) => (
                <tr key={child.childId}>
                  <th scope="row">
                    <a href={`#/children/${child.childId}`}>{childName(child)}</a>
                    {child.archived && <span class="tag">{t('console.reports.unreached.left')}</span>}
                  </th>
                  <td>{child.className ?? ''}</td>
                  <td>
                    {child.lastCallDate ? dayLabel(child.lastCallDate, locale) : t('console.children.never-called')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="form-actions">
            <span class="muted" aria-live="polite">
              {t('console.reports.unreached.shown', {
                shown: count(items.length, locale),
                total: count(total, locale),
              })}
            </span>
            {hasMore && (
              <Button busy={loadingMore} onClick={onMore}>
                {t('console.reports.more')}
              </Button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
