import type { ComponentChildren } from 'preact';

/** What a list says when it has nothing: a plain fact and, when there is one, the next action. */
export function EmptyState({ message, children }: { message: string; children?: ComponentChildren }) {
  return (
    <div class="empty-state">
      <p>{message}</p>
      {children}
    </div>
  );
}
