import { useId } from 'preact/hooks';

/** Options of {@link Field}. */
export interface FieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** The problem to show beside the field (from the API's `details.fields`, or the screen's own check). */
  error?: string | undefined;
  /** A hint under the label. */
  hint?: string;
  /** A multi-line text instead of one line. */
  multiline?: boolean;
  /** Input type; default `text`. */
  type?: 'text' | 'password' | 'tel' | 'number' | 'search' | 'date' | 'time' | 'email';
  name?: string;
  autoComplete?: string;
  required?: boolean;
  disabled?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  placeholder?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'search';
}

/** A labelled input with its problem shown beside it and announced (`aria-invalid`, `aria-describedby`). */
export function Field({ label, value, onValue, error, hint, multiline = false, type = 'text', ...rest }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const className = `field-input${error ? ' field-input-error' : ''}`;
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
      {multiline ? (
        <textarea
          id={id}
          name={rest.name}
          required={rest.required}
          disabled={rest.disabled}
          maxLength={rest.maxLength}
          placeholder={rest.placeholder}
          value={value}
          rows={3}
          class={className}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onInput={(event) => onValue(event.currentTarget.value)}
        />
      ) : (
        <input
          id={id}
          // Preact's input types are a union per `type`; this one field covers the plain text-like kinds.
          type={type as 'text'}
          {...rest}
          value={value}
          class={className}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onInput={(event) => onValue(event.currentTarget.value)}
        />
      )}
      {error && (
        <div id={`${id}-error`} class="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
