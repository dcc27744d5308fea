import type { Translate } from '@affection/ui';
import { Field } from '../common/field.tsx';
import { FilterBar } from '../common/filter-bar.tsx';
import { SelectField } from '../common/select-field.tsx';
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
  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  return (
    <FilterBar
      label={t('console.outbox.filters')}
      clearLabel={t('console.outbox.clear')}
      onClear={() => onFilters(NO_FILTERS)}
    >
      <SelectField
        label={t('console.outbox.stage')}
        value={filters.stage}
        onValue={(stage) => set({ stage: stage as OutboxStage | '' })}
        options={[
          { value: '', label: t('console.outbox.stage-all') },
          ...STAGES.map((stage) => ({ value: stage, label: t(`console.outbox.stage.${stage}`) })),
        ]}
      />
      <Field label={t('console.outbox.from')} type="date" value={filters.from} onValue={(from) => set({ from })} />
      <Field
        label={t('console.outbox.to')}
        type="date"
        value={filters.to}
        onValue={(to) => set({ to })}
        error={dateProblem}
      />
      <SelectField
        label={t('console.outbox.child')}
        value={filters.childId}
        onValue={(childId) => set({ childId })}
        options={[
          { value: '', label: t('console.outbox.child-all') },
          ...children.map((child) => ({ value: child.id, label: child.name })),
        ]}
      />
    </FilterBar>
  );
}
