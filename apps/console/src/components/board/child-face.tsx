import type { Translate } from '@affection/ui';

/** A child's kiosk photo, or the first character of their name when there is none. */
export function ChildFace({ name, photoUrl, t }: { name: string; photoUrl: string | null; t: Translate }) {
  if (photoUrl) {
    return (
      <img class="child-face" src={photoUrl} alt={t('console.board.child-photo', { name })} width={40} height={40} />
    );
  }
  return (
    <span class="child-face child-face-initial" aria-hidden="true">
      {name.slice(0, 1)}
    </span>
  );
}
