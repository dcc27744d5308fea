import type { ComponentChildren } from 'preact';
import { Button } from './button.tsx';

/** Options of {@link FilterBar}. */
export interface FilterBarProps {
  /** The form's name for a screen reader (`筛选短信`, `筛选记录`…). */
  label: string;
  /** The words of the button that clears every filter. */
  clearLabel: string;
  onClear: () => void;
  /** The filters' fields, each applying at once. */
  children: ComponentChildren;
}

/** The filters above a list: fields in a row that wraps at 1024 px, and a quiet button to clear them. */
export function FilterBar({ label, clearLabel, onClear, children }: FilterBarProps) {
  return (
    <form class="card filter-bar" aria-label={label} onSubmit={(event) => event.preventDefault()}>
      {children}
      <div class="filter-bar-end">
        <Button kind="quiet" onClick={onClear}>
          {clearLabel}
        </Button>
      </div>
    </form>
  );
}
