import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';

/** Options of {@link Button}. */
export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> {
  /** `primary` for the screen's main action, `danger` for what cannot be undone; default `plain`. */
  kind?: 'primary' | 'plain' | 'danger' | 'quiet';
  /** A submit button of its form. */
  submit?: boolean;
  /** Shows the work in progress and refuses a second press. */
  busy?: boolean;
  children: ComponentChildren;
}

/** A button at least 44 px high, with a visible focus ring; `busy` disables it while the request runs. */
export function Button({
  kind = 'plain',
  submit = false,
  busy = false,
  disabled,
  children,
  class: cls,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={submit ? 'submit' : 'button'}
      class={`btn btn-${kind}${cls ? ` ${cls}` : ''}`}
      disabled={Boolean(disabled) || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}
