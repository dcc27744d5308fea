import type { ApiResponse } from '@affection/server/contract';
import type { ApiError, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';

type ChildRow = ApiResponse<'GET /api/children'>['items'][number];

/** Rows the picker shows at once (a class is smaller). */
const SHOWN = 60;

/** A chosen household: its id and how the teacher recognises it (household and first child). */
export interface PickedHousehold {
  id: string;
  label: string;
}

/** Options of {@link HouseholdPicker}. */
export interface HouseholdPickerProps {
  api: ConsoleApi;
  t: Translate;
  picked: readonly PickedHousehold[];
  onPicked: (picked: PickedHousehold[]) => void;
}

/**
 * Chooses households by finding their children: by name, class, household or parent (the children
 * list's own search). A row's checkbox chooses the child's household, so siblings tick together.
 */
export function HouseholdPicker({ api, t, picked, onPicked }: HouseholdPickerProps) {
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<ChildRow[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .call('GET /api/children', {
          query: { search: search.trim() || undefined, limit: SHOWN, offset: 0 },
          signal: controller.signal,
        })
        .then(
          (page) => {
            setRows(page.items);
            setTotal(page.total);
            setError(null);
          },
          (failure: ApiError) => {
            if (!controller.signal.aborted) setError(failure);
          },
        );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, search]);

  const isPicked = (householdId: string) => picked.some((p) => p.id === householdId);
  const labelOf = (row: ChildRow) => `${row.householdName}（${row.familyName}${row.givenName}）`;
  const toggle = (row: ChildRow) => {
    if (isPicked(row.householdId)) onPicked(picked.filter((p) => p.id !== row.householdId));
    else onPicked([...picked, { id: row.householdId, label: labelOf(row) }]);
  };
  const pickShown = () => {
    const next = [...picked];
    for (const row of rows) {
      if (!next.some((p) => p.id === row.householdId)) next.push({ id: row.householdId, label: labelOf(row) });
    }
    onPicked(next);
  };

  return (
    <section class="card household-picker no-print" aria-labelledby="cards-pick">
      <h2 id="cards-pick">{t('console.cards.pick')}</h2>
      <Field
        label={t('console.cards.find')}
        hint={t('console.cards.find-hint')}
        type="search"
        value={search}
        onValue={setSearch}
        maxLength={40}
      />
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {rows.length === 0 && !error && <p class="muted">{t('console.cards.none-found')}</p>}
      {rows.length > 0 && (
        <div class="picker-scroll">
          <table class="picker-table">
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">{t('console.cards.pick')}</span>
                </th>
                <th scope="col">{t('console.cards.col-child')}</th>
                <th scope="col">{t('console.cards.col-class')}</th>
                <th scope="col">{t('console.cards.col-household')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <input
                      type="checkbox"
                      class="picker-check"
                      checked={isPicked(row.householdId)}
                      onChange={() => toggle(row)}
                      aria-label={t('console.cards.pick-household', {
                        household: row.householdName,
                        child: `${row.familyName}${row.givenName}`,
                      })}
                    />
                  </td>
                  <td>
                    {row.familyName}
                    {row.givenName}
                  </td>
                  <td>{row.className ?? '—'}</td>
                  <td>{row.householdName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > rows.length && <p class="muted">{t('console.cards.more', { count: total - rows.length })}</p>}
      <div class="form-actions">
        <Button onClick={pickShown} disabled={rows.length === 0}>
          {t('console.cards.select-shown')}
        </Button>
        <Button kind="quiet" onClick={() => onPicked([])} disabled={picked.length === 0}>
          {t('console.cards.clear')}
        </Button>
      </div>
    </section>
  );
}
