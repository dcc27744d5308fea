import type { ApiError } from '@affection/ui';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AuditFilters } from '../components/audit/audit-filters.tsx';
import { AuditTable } from '../components/audit/audit-table.tsx';
import {
  type AuditEntry,
  type AuditFilters as Filters,
  type Named,
  NO_FILTERS,
} from '../components/audit/audit-types.ts';
import { fieldProblem, problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { loadChildrenNames } from '../components/common/children-names.ts';
import { EmptyState } from '../components/common/empty-state.tsx';
import '../components/audit/audit.css';
import { connection } from '../shell/connection.ts';
import { keepInAddress } from '../shell/router.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

/** Events on one page. */
const PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filtersFrom(query: URLSearchParams): Filters {
  const day = (name: string) => {
    const value = query.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  const id = (name: string, prefix: string) => {
    const value = query.get(name) ?? '';
    return new RegExp(`^${prefix}_[0-9a-z]{16}$`).test(value) ? value : '';
  };
  return { staffId: id('staff', 'stf'), childId: id('child', 'chd'), from: day('from'), to: day('to') };
}

/** The route's query for the filters, from the first page or after `cursor`. */
function queryOf(filters: Filters, cursor?: string) {
  return {
    limit: PAGE_SIZE,
    cursor,
    staffId: filters.staffId || undefined,
    childId: filters.childId || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
  };
}

function hashOf(filters: Filters): string {
  const query = new URLSearchParams();
  if (filters.staffId) query.set('staff', filters.staffId);
  if (filters.childId) query.set('child', filters.childId);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  const text = query.toString();
  return `#/audit${text ? `?${text}` : ''}`;
}

/**
 * 操作记录 (admin): who read or changed what and when, newest first — by a person, about a child,
 * between two days — with the names of the fields changed and never their values. "更多" reads the
 * next page.
 */
export default function AuditScreen({ api, t, locale, route }: ScreenProps) {
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(route.query));
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [zone, setZone] = useState('Asia/Shanghai');
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [staff, setStaff] = useState<Named[]>([]);
  const [children, setChildren] = useState<Named[]>([]);

  useEffect(() => {
    api.call('GET /api/staff', { query: { includeInactive: 'true' } }).then(
      (list) => setStaff(list.items.map((member) => ({ id: member.id, name: member.displayName }))),
      () => undefined,
    );
    loadChildrenNames(api).then(setChildren, () => undefined);
  }, [api]);
  const names = useMemo(() => new Map([...staff, ...children].map((n) => [n.id, n.name])), [staff, children]);

  const isDateOrderWrong = filters.from !== '' && filters.to !== '' && filters.to < filters.from;

  useEffect(() => {
    const target = hashOf(filters);
    keepInAddress('/audit', target);
    if (isDateOrderWrong) return;
    const controller = new AbortController();
    const load = () => {
      api.call('GET /api/audit', { query: queryOf(filters), signal: controller.signal }).then(
        (page) => {
          setEntries(page.items);
          setNextCursor(page.nextCursor);
          setZone(page.timeZone);
          setError(null);
        },
        (failure: ApiError) => {
          if (!controller.signal.aborted) setError(failure);
        },
      );
    };
    load();
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, filters, isDateOrderWrong]);

  const more = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.call('GET /api/audit', { query: queryOf(filters, nextCursor) });
      setEntries((current) => [...(current ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setLoadingMore(false);
    }
  };

  const hasFilters = filters.staffId || filters.childId || filters.from || filters.to;
  return (
    <div class="screen audit-screen">
      <h1>{t('console.nav.audit')}</h1>
      <p>{t('console.audit.intro')}</p>
      <AuditFilters
        t={t}
        filters={filters}
        onFilters={setFilters}
        staff={staff}
        children={children}
        fromProblem={fieldProblem(error, 'from', locale)}
        toProblem={isDateOrderWrong ? t('validation.date_order') : fieldProblem(error, 'to', locale)}
      />
      {error && error.fields.length === 0 && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {error?.fields.some((f) => f.path === 'cursor') && (
        <Banner kind="warn">{fieldProblem(error, 'cursor', locale)}</Banner>
      )}
      {entries === null && !error && (
        <p class="loading" role="status">
          {t('console.shell.loading')}
        </p>
      )}
      {entries &&
        (entries.length === 0 ? (
          <EmptyState message={t('console.audit.empty')}>
            {hasFilters && <Button onClick={() => setFilters(NO_FILTERS)}>{t('console.audit.clear')}</Button>}
          </EmptyState>
        ) : (
          <>
            <AuditTable t={t} locale={locale} zone={zone} entries={entries} names={names} />
            <div class="audit-more">
              <span aria-live="polite">{t('console.audit.shown', { count: entries.length })}</span>
              {nextCursor ? (
                <Button busy={loadingMore} onClick={more}>
                  {t('console.audit.more')}
                </Button>
              ) : (
                <span>{t('console.audit.all-shown')}</span>
              )}
            </div>
          </>
        ))}
    </div>
  );
}
