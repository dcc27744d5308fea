import type { ComponentChildren } from 'preact';

/** A message across the screen: `info` after something worked, `warn` when the teacher should act. */
export function Banner({ kind = 'info', children }: { kind?: 'info' | 'warn' | 'ok'; children: ComponentChildren }) {
  return (
    <div class={`banner banner-${kind}`} role={kind === 'warn' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
