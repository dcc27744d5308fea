import type { Translate } from '@affection/ui';
import { useId } from 'preact/hooks';
import { Button } from '../common/button.tsx';
import { Field } from '../common/field.tsx';
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
  const staffId = useId();
  const childId = useId();
  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  return (
    <form class="card audit-filters" aria-label={t('console.audit.filters')} onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label class="field-label" for={staffId}>
          {t('console.audit.person')}
        </label>
        <select
          id={staffId}
          class="field-input"
          value={filters.staffId}
          onChange={(e) => set({ staffId: e.currentTarget.value })}
        >
          <option value="">{t('console.audit.person-all')}</option>
          {staff.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label class="field-label" for={childId}>
          {t('console.audit.child')}
        </label>
        <select
          id={childId}
          class="field-input"
          value={filters.childId}
          onChange={(e) => set({ childId: e.currentTarget.value })}
        >
          <option value="">{t('console.audit.child-all')}</option>
          {children.map((child) => (
            <option key={child.id} value={child.id}>
              {child.name}
            </option>
          ))}
        </select>
      </div>
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
      <div class="audit-filters-end">
        <Button kind="quiet" onClick={() => onFilters(NO_FILTERS)}>
          {t('console.audit.clear')}
        </Button>
      </div>
    </form>
  );
}
