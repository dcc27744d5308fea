import { useId } from 'preact/hooks';

/** One choice of a {@link SelectField}. */
export interface SelectOption {
  value: string;
  label: string;
}

/** Options of {@link SelectField}. */
export interface SelectFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** The choices in the order shown; a filter puts its "all" choice (value `''`) first. */
  options: readonly SelectOption[];
  /** The problem to show beside the field (from the API's `details.fields`, or the screen's own check). */
  error?: string | undefined;
  /** A hint under the label. */
  hint?: string;
}

/**
 * A labelled drop-down, the {@link Field} of a choice: its hint and problem are shown beside it and
 * announced (`aria-invalid`, `aria-describedby`).
 */
export function SelectField({ label, value, onValue, options, error, hint }: SelectFieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id} class="field-label">
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="field-hint">
          {hint}
        </div>
      )}
      <select
        id={id}
        class={`field-input${error ? ' field-input-error' : ''}`}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => onValue(event.currentTarget.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <div id={`${id}-error`} class="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
