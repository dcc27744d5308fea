import type { ApiResponse } from '@affection/server/contract';
import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { AddChildForm } from '../components/children/add-child-form.tsx';
import { ChildrenFilters, type ChildrenFilterValues, NO_FILTERS } from '../components/children/children-filters.tsx';
import { ChildrenTable } from '../components/children/children-table.tsx';
import { LIST_HASH_KEY } from '../components/children/list-hash.ts';
import '../components/children/children.css';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import { connection } from '../shell/connection.ts';
import { keepInAddress } from '../shell/router.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type Page = ApiResponse<'GET /api/children'>;

/** Rows on one page of the list. */
const PAGE_SIZE = 50;

function filtersFrom(query: URLSearchParams): ChildrenFilterValues {
  const archived = query.get('archived');
  return {
    search: query.get('search') ?? '',
    teacher: query.get('teacher') ?? '',
    noContact: query.get('noContact') ?? '',
    archived: archived === 'only' || archived === 'true' ? archived : 'false',
    sort: query.get('sort') === 'wait' ? 'wait' : 'name',
  };
}

function queryOf(filters: ChildrenFilterValues, page: number): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== '' && value !== NO_FILTERS[name as keyof ChildrenFilterValues]) query.set(name, value);
  }
  if (page > 0) query.set('page', String(page));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** 孩子: the Home's children with search and filters, and "add a child" in one step. */
export default function ChildrenScreen({ api, me, t, locale, navigate, route }: ScreenProps) {
  const [filters, setFilters] = useState<ChildrenFilterValues>(() => filtersFrom(route.query));
  const [page, setPage] = useState(() => Math.max(0, Number(route.query.get('page') ?? 0) || 0));
  const [result, setResult] = useState<Page | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [teachers, setTeachers] = useState<{ staffId: string; displayName: string }[]>([]);
  const [zone, setZone] = useState('Asia/Shanghai');
  const [adding, setAdding] = useState(route.query.get('add') === '1');

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      () => undefined,
    );
    api.call('GET /api/pairings').then(
      (board) =>
        setTeachers(
          board.teachers
            .filter((teacher) => teacher.active)
            .map(({ staffId, displayName }) => ({ staffId, displayName })),
        ),
      () => undefined,
    );
  }, [api]);

  useEffect(() => {
    // Keep the filters in the address so "back" from a record finds the list as it was.
    const target = `#/children${queryOf(filters, page)}`;
    keepInAddress('/children', target);
    try {
      sessionStorage.setItem(LIST_HASH_KEY, target);
    } catch {
      // storage blocked: "back" opens the plain list
    }
    const controller = new AbortController();
    const load = () => {
      api
        .call('GET /api/children', {
          query: {
            search: filters.search.trim() || undefined,
            pairedStaffId: filters.teacher || undefined,
            noContactDays: filters.noContact ? Number(filters.noContact) : undefined,
            includeArchived: filters.archived,
            sort: filters.sort,
            limit: PAGE_SIZE,
            offset: page * PAGE_SIZE,
          },
          signal: controller.signal,
        })
        .then(
          (answer) => {
            setResult(answer);
            setError(null);
          },
          (caught: ApiError) => {
            if (!controller.signal.aborted) setError(caught);
          },
        );
    };
    const timer = setTimeout(load, filters.search ? 250 : 0);
    const stopRetry = connection.onRetry(load);
    return () => {
      clearTimeout(timer);
      controller.abort();
      stopRetry();
    };
  }, [api, filters, page]);

  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  return (
    <section class="screen children-screen">
      <div class="screen-head">
        <h1>{t('console.children.title')}</h1>
        {!adding && (
          <Button kind="primary" onClick={() => setAdding(true)}>
            {t('console.children.add.open')}
          </Button>
        )}
      </div>
      {adding && (
        <AddChildForm
          api={api}
          t={t}
          locale={locale}
          onCreated={(childId) => navigate(`/children/${childId}?added=1`)}
          onCancel={() => setAdding(false)}
        />
      )}
      <ChildrenFilters
        value={filters}
        onChange={(next) => {
          setFilters(next);
          setPage(0);
        }}
        teachers={teachers}
        meId={me.id}
        t={t}
      />
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      <p class="children-count" role="status">
        {result ? t('console.children.count', { n: result.total }) : t('console.shell.loading')}
      </p>
      {result && result.items.length === 0 && (
        <EmptyState message={filters.search ? t('console.children.none-found') : t('console.children.none')} />
      )}
      {result && result.items.length > 0 && (
        <ChildrenTable
          items={result.items}
          zone={zone}
          t={t}
          locale={locale}
          onOpen={(id) => navigate(`/children/${id}`)}
        />
      )}
      {result && pages > 1 && (
        <nav class="pager" aria-label={t('console.children.pages')}>
          <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
            {t('console.children.previous')}
          </Button>
          <span>{t('console.children.page-of', { page: page + 1, pages })}</span>
          <Button disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            {t('console.children.next')}
          </Button>
        </nav>
      )}
    </section>
  );
}
