import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { fieldProblem, problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { type ChildName, loadChildrenNames } from '../components/common/children-names.ts';
import { EmptyState } from '../components/common/empty-state.tsx';
import { OutboxFilters } from '../components/outbox/outbox-filters.tsx';
import { callText, OutboxTable } from '../components/outbox/outbox-table.tsx';
import {
  type OutboxFilters as Filters,
  NO_FILTERS,
  type OutboxPage,
  type OutboxStage,
  STAGES,
} from '../components/outbox/outbox-types.ts';
import '../components/outbox/outbox.css';
import { connection } from '../shell/connection.ts';
import { keepInAddress } from '../shell/router.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

/** Messages on one page. */
const PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filtersFrom(query: URLSearchParams): Filters {
  const stage = query.get('stage') ?? '';
  const day = (name: string) => {
    const value = query.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  return {
    stage: (STAGES as readonly string[]).includes(stage) ? (stage as OutboxStage) : '',
    from: day('from'),
    to: day('to'),
    childId: /^chd_[0-9a-z]{16}$/.test(query.get('child') ?? '') ? (query.get('child') as string) : '',
    bookingId: /^bkg_[0-9a-z]{16}$/.test(query.get('booking') ?? '') ? (query.get('booking') as string) : '',
  };
}

function hashOf(filters: Filters, page: number): string {
  const query = new URLSearchParams();
  if (filters.stage) query.set('stage', filters.stage);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.childId) query.set('child', filters.childId);
  if (filters.bookingId) query.set('booking', filters.bookingId);
  if (page > 0) query.set('page', String(page));
  const text = query.toString();
  return `#/outbox${text ? `?${text}` : ''}`;
}

/**
 * 短信记录: every SMS the Home sent, newest first, with where it is (queued, sent, delivered,
 * failed, expired, cancelled) and the call it is about; filters by status, days, child and one
 * call (`#/outbox?booking=bkg_…`). Numbers and sign-in codes come masked from the server and are
 * shown as they come.
 */
export default function OutboxScreen({ api, t, locale, route }: ScreenProps) {
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(route.query));
  const [page, setPage] = useState(() => Math.max(0, Number(route.query.get('page') ?? 0) || 0));
  const [result, setResult] = useState<OutboxPage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [zone, setZone] = useState('Asia/Shanghai');
  const [children, setChildren] = useState<ChildName[]>([]);

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      () => undefined,
    );
    loadChildrenNames(api).then(setChildren, () => undefined);
  }, [api]);

  const isDateOrderWrong = filters.from !== '' && filters.to !== '' && filters.to < filters.from;
  useEffect(() => {
    const target = hashOf(filters, page);
    keepInAddress('/outbox', target);
    if (isDateOrderWrong) return;
    const controller = new AbortController();
    const load = () => {
      api
        .call('GET /api/outbox', {
          query: {
            limit: PAGE_SIZE,
            offset: page * PAGE_SIZE,
            stage: filters.stage || undefined,
            from: filters.from || undefined,
            to: filters.to || undefined,
            childId: filters.childId || undefined,
            bookingId: filters.bookingId || undefined,
          },
          signal: controller.signal,
        })
        .then(
          (answer) => {
            setResult(answer);
            setError(null);
          },
          (failure: ApiError) => {
            if (!controller.signal.aborted) setError(failure);
          },
        );
    };
    load();
    // After a lost connection, read the list again when the banner's retry brings it back.
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, filters, page, isDateOrderWrong]);

  const change = (next: Filters) => {
    setFilters(next);
    setPage(0);
  };
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  const bookingShown = filters.bookingId
    ? result?.items.find((m) => m.booking?.id === filters.bookingId)?.booking
    : undefined;

  return (
    <div class="screen outbox-screen">
      <h1>{t('console.nav.outbox')}</h1>
      <p>{t('console.outbox.intro')}</p>
      <OutboxFilters
        t={t}
        filters={filters}
        onFilters={change}
        children={children}
        dateProblem={isDateOrderWrong ? t('console.outbox.date-order') : fieldProblem(error, 'to', locale)}
      />
      {filters.bookingId && (
        <Banner kind="info">
          <span>
            {t('console.outbox.booking-only', {
              call: bookingShown ? callText(t, locale, zone, bookingShown) : filters.bookingId,
            })}
          </span>
          <Button onClick={() => change({ ...filters, bookingId: '' })}>{t('console.outbox.show-all')}</Button>
        </Banner>
      )}
      {error && error.fields.length === 0 && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {result && (
        <>
          <p aria-live="polite">{t('console.outbox.total', { total: result.total })}</p>
          {result.items.length === 0 ? (
            <EmptyState message={t('console.outbox.empty')}>
              {filters !== NO_FILTERS && (
                <Button onClick={() => change(NO_FILTERS)}>{t('console.outbox.clear')}</Button>
              )}
            </EmptyState>
          ) : (
            <OutboxTable
              t={t}
              locale={locale}
              zone={zone}
              messages={result.items}
              onOnlyBooking={(bookingId) => change({ ...NO_FILTERS, bookingId })}
            />
          )}
          {pages > 1 && (
            <nav class="outbox-pager" aria-label={t('console.outbox.page', { page: page + 1, pages })}>
              <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
                {t('console.outbox.prev')}
              </Button>
              <span>{t('console.outbox.page', { page: page + 1, pages })}</span>
              <Button disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                {t('console.outbox.next')}
              </Button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}
