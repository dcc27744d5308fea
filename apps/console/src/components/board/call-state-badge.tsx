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

/** The words of a call's voice notification: "coming now" when the parent pressed 1, else how the call went. */
export function voiceNoticeText(call: BoardCall, t: Translate): string | null {
  const notice = call.voiceNotice;
  if (!notice) return null;
  if (notice.coming) return t('console.board.voice.coming');
  if (notice.provider === 'outbox') return t('console.board.voice.outbox');
  if (notice.status === 'answered') return t('console.board.voice.answered');
  if (notice.status === 'not-answered' || notice.status === 'busy') return t('console.board.voice.not-answered');
  if (notice.status === 'failed') return t('console.board.voice.failed');
  return t('console.board.voice.placed');
}

/**
 * A call's live state as a coloured label, with the "waiting" badge after a minute alone and the voice
 * notification's (the parent's "coming now" key stands out).
 */
export function CallStateBadge({ call, t }: { call: BoardCall; t: Translate }) {
  return (
    <span class="call-badges">
      <span class={`badge badge-${call.state}`}>{stateText(call, t)}</span>
      {call.state === 'ended' && call.minutes !== null && call.outcome !== null && (
        <span class="badge badge-quiet">{t('console.board.minutes', { minutes: call.minutes })}</span>
      )}
      {call.waiting && <span class="badge badge-waiting">{t('console.board.waiting')}</span>}
      {call.voiceNotice && (
        <span class={`badge ${call.voiceNotice.coming ? 'badge-coming' : 'badge-quiet'}`} data-voice-notice="">
          {voiceNoticeText(call, t)}
        </span>
      )}
    </span>
  );
}
