import type { Translate } from '@affection/ui';
import { useId } from 'preact/hooks';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
import { type OutboxFilters as Filters, NO_FILTERS, type OutboxStage, STAGES } from './outbox-types.ts';

/** Options of {@link OutboxFilters}. */
export interface OutboxFiltersProps {
  t: Translate;
  filters: Filters;
  onFilters: (filters: Filters) => void;
  /** The children to filter by, by name. */
  children: readonly { id: string; name: string }[];
  /** A problem with the days, shown beside "to". */
  dateProblem?: string | undefined;
}

/** Status, days and child; each change applies at once. */
export function OutboxFilters({ t, filters, onFilters, children, dateProblem }: OutboxFiltersProps) {
  const stageId = useId();
  const childId = useId();
  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  return (
    <form class="card outbox-filters" aria-label={t('console.outbox.filters')} onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label class="field-label" for={stageId}>
          {t('console.outbox.stage')}
        </label>
        <select
          id={stageId}
          class="field-input"
          value={filters.stage}
          onChange={(e) => set({ stage: e.currentTarget.value as OutboxStage | '' })}
        >
          <option value="">{t('console.outbox.stage-all')}</option>
          {STAGES.map((stage) => (
            <option key={stage} value={stage}>
              {t(`console.outbox.stage.${stage}`)}
            </option>
          ))}
        </select>
      </div>
      <Field label={t('console.outbox.from')} type="date" value={filters.from} onValue={(from) => set({ from })} />
      <Field
        label={t('console.outbox.to')}
        type="date"
        value={filters.to}
        onValue={(to) => set({ to })}
        error={dateProblem}
      />
      <div class="field">
        <label class="field-label" for={childId}>
          {t('console.outbox.child')}
        </label>
        <select
          id={childId}
          class="field-input"
          value={filters.childId}
          onChange={(e) => set({ childId: e.currentTarget.value })}
        >
          <option value="">{t('console.outbox.child-all')}</option>
          {children.map((child) => (
            <option key={child.id} value={child.id}>
              {child.name}
            </option>
          ))}
        </select>
      </div>
      <div class="outbox-filters-end">
        <Button kind="quiet" onClick={() => onFilters(NO_FILTERS)}>
          {t('console.outbox.clear')}
        </Button>
      </div>
    </form>
  );
}
