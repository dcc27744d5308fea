import type { Translate } from '@affection/ui';
import type { BoardCall } from './use-live-board.ts';

/** The words of a call's live state (and how it ended). */
export function stateText(call: BoardCall, t: Translate): string {
  if (call.state === 'parent-in') {
    return call.parentChannel === 'phone'
      ? t('console.board.state.parent-in-phone')
      : t('console.board.state.parent-in-video');
  }
  if (call.state === 'ended' && call.outcome) return t(`console.board.outcome.${call.outcome}`);
  return t(`console.board.state.${call.state}`);
}

/** A call's live state as a coloured label, with the "waiting" badge after a minute alone. */
export function CallStateBadge({ call, t }: { call: BoardCall; t: Translate }) {
  return (
    <span class="call-badges">
      <span class={`badge badge-${call.state}`}>{stateText(call, t)}</span>
      {call.state === 'ended' && call.minutes !== null && call.outcome !== null && (
        <span class="badge badge-quiet">{t('console.board.minutes', { minutes: call.minutes })}</span>
      )}
      {call.waiting && <span class="badge badge-waiting">{t('console.board.waiting')}</span>}
    </span>
  );
}
