import type { ComponentChildren } from 'preact';

/** One action offered on a problem screen. */
export interface ProblemAction {
  label: string;
  onClick: () => void;
  /** The main action is drawn as the big button. */
  isMain?: boolean;
}

/** A friendly full screen for what went wrong and what to do next. */
export function ProblemScreen({
  title,
  message,
  actions,
  kind,
  children,
}: {
  title: string;
  message: string;
  actions: ProblemAction[];
  /** Names the screen for tests and styles, e.g. `locked`, `link`, `network`. */
  kind: string;
  children?: ComponentChildren;
}) {
  return (
    <main class={`screen problem problem-${kind}`} data-screen={`problem-${kind}`}>
      <h1>{title}</h1>
      <p class="message">{message}</p>
      {children}
      <div class="actions">
        {actions.map((action) => (
          <button key={action.label} type="button" class={action.isMain ? 'big' : 'plain'} onClick={action.onClick}>
            {action.label}
          </button>
        ))}
      </div>
    </main>
  );
}
