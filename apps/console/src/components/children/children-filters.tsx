import type { Translate } from '@affection/ui';
import { useId } from 'preact/hooks';

/** What the children list is narrowed to. Empty strings mean "any". */
export interface ChildrenFilterValues {
  search: string;
  /** A staff id, `none`, or '' for any teacher. */
  teacher: string;
  /** Days without a call ('' for any). */
  noContact: string;
  /** `false` at school, `only` archived, `true` both. */
  archived: 'false' | 'only' | 'true';
  sort: 'name' | 'wait';
}

/** The defaults: every child at school, by name. */
export const NO_FILTERS: ChildrenFilterValues = {
  search: '',
  teacher: '',
  noContact: '',
  archived: 'false',
  sort: 'name',
};

/** Options of {@link ChildrenFilters}. */
export interface ChildrenFiltersProps {
  value: ChildrenFilterValues;
  onChange: (next: ChildrenFilterValues) => void;
  teachers: readonly { staffId: string; displayName: string }[];
  meId: string;
  t: Translate;
}

function Select({
  label,
  value,
  onValue,
  options,
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div class="field children-filter">
      <label for={id} class="field-label">
        {label}
      </label>
      <select id={id} class="field-input" value={value} onChange={(e) => onValue(e.currentTarget.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Search box and filters above the children list: paired teacher, no call for N days, archived, order. */
export function ChildrenFilters({ value, onChange, teachers, meId, t }: ChildrenFiltersProps) {
  const searchId = useId();
  const set = (patch: Partial<ChildrenFilterValues>) => onChange({ ...value, ...patch });
  const others = teachers.filter((teacher) => teacher.staffId !== meId);
  return (
    <div class="children-filters">
      <div class="field children-search">
        <label for={searchId} class="field-label">
          {t('console.children.search')}
        </label>
        <input
          id={searchId}
          type="search"
          class="field-input"
          value={value.search}
          maxLength={40}
          placeholder={t('console.children.search-hint')}
          onInput={(e) => set({ search: e.currentTarget.value })}
        />
      </div>
      <Select
        label={t('console.children.filter-teacher')}
        value={value.teacher}
        onValue={(teacher) => set({ teacher })}
        options={[
          { value: '', label: t('console.children.any-teacher') },
          { value: meId, label: t('console.children.my-children') },
          { value: 'none', label: t('console.children.no-teacher') },
          ...others.map((teacher) => ({ value: teacher.staffId, label: teacher.displayName })),
        ]}
      />
      <Select
        label={t('console.children.filter-no-contact')}
        value={value.noContact}
        onValue={(noContact) => set({ noContact })}
        options={[
          { value: '', label: t('console.children.any-contact') },
          ...[7, 14, 30].map((days) => ({
            value: String(days),
            label: t('console.children.no-contact-days', { days }),
          })),
        ]}
      />
      <Select
        label={t('console.children.filter-archived')}
        value={value.archived}
        onValue={(archived) => set({ archived: archived as ChildrenFilterValues['archived'] })}
        options={[
          { value: 'false', label: t('console.children.at-school') },
          { value: 'only', label: t('console.children.archived-only') },
          { value: 'true', label: t('console.children.all') },
        ]}
      />
      <Select
        label={t('console.children.sort')}
        value={value.sort}
        onValue={(sort) => set({ sort: sort as ChildrenFilterValues['sort'] })}
        options={[
          { value: 'name', label: t('console.children.sort-name') },
          { value: 'wait', label: t('console.children.sort-wait') },
        ]}
      />
    </div>
  );
}
