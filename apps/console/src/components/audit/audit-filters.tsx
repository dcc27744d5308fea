import type { Translate } from '@affection/ui';
import { Field } from '../common/field.tsx';
import { FilterBar } from '../common/filter-bar.tsx';
import { SelectField } from '../common/select-field.tsx';
import { type AuditFilters as Filters, type Named, NO_FILTERS } from './audit-types.ts';

/** Options of {@link AuditFilters}. */
export interface AuditFiltersProps {
  t: Translate;
  filters: Filters;
  onFilters: (filters: Filters) => void;
  /** The Home's staff (active or not), by name. */
  staff: readonly Named[];
  /** The Home's children, by name. */
  children: readonly Named[];
  /** A problem with a day, beside "from" and "to". */
  fromProblem?: string | undefined;
  toProblem?: string | undefined;
}

/** Person, child and days; each change applies at once. */
export function AuditFilters({ t, filters, onFilters, staff, children, fromProblem, toProblem }: AuditFiltersProps) {
  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  return (
    <FilterBar
      label={t('console.audit.filters')}
      clearLabel={t('console.audit.clear')}
      onClear={() => onFilters(NO_FILTERS)}
    >
      <SelectField
        label={t('console.audit.person')}
        value={filters.staffId}
        onValue={(staffId) => set({ staffId })}
        options={[
          { value: '', label: t('console.audit.person-all') },
          ...staff.map((member) => ({ value: member.id, label: member.name })),
        ]}
      />
      <SelectField
        label={t('console.audit.child')}
        value={filters.childId}
        onValue={(childId) => set({ childId })}
        options={[
          { value: '', label: t('console.audit.child-all') },
          ...children.map((child) => ({ value: child.id, label: child.name })),
        ]}
      />
      <Field
        label={t('console.audit.from')}
        type="date"
        value={filters.from}
        onValue={(from) => set({ from })}
        error={fromProblem}
      />
      <Field
        label={t('console.audit.to')}
        type="date"
        value={filters.to}
        onValue={(to) => set({ to })}
        error={toProblem}
      />
    </FilterBar>
  );
}
