import type { Locale, Translate } from '@affection/ui';
import { useEffect } from 'preact/hooks';
import type { KioskCall } from '../api/kiosk-api.ts';
import { say } from '../audio/say.ts';
import { BackIcon, HelpIcon } from '../components/icons.tsx';
import { useIdle } from '../lib/hooks.ts';
import { relationWord } from '../lib/relation-word.ts';

/** Props of {@link NoParentScreen}. */
export interface NoParentScreenProps {
  t: Translate;
  locale: Locale;
  call: KioskCall;
  onDone: () => void;
}

/**
 * After a call whose parent never came (the Home's waiting limit ended it): tells the child kindly, in words and
 * aloud, that the parent cannot come now and the teacher will find another time; then back to the photos (a tap,
 * or by itself after a while). The teacher sees the call as the parent's no-show on the board.
 */
export function NoParentScreen({ t, locale, call, onDone }: NoParentScreenProps) {
  const relation = call.callers[0]?.relation ?? 'other';
  useIdle(onDone);
  useEffect(() => {
    say({ key: 'kiosk.wait.parent-not-coming', caller: relation }, t, locale);
  }, [t, relation, locale]);
  return (
    <main class="screen problem" data-screen="no-parent">
      <div class="problem__icon">
        <HelpIcon />
      </div>
      <h1>{t('kiosk.wait.parent-not-coming', { caller: relationWord(t, relation) })}</h1>
      <button type="button" class="big-button" onClick={onDone}>
        <BackIcon />
        <span>{t('kiosk.back')}</span>
      </button>
    </main>
  );
}
