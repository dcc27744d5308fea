import type { Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { KioskCallChild } from '../api/kiosk-api.ts';
import { say } from '../audio/say.ts';
import { ChildAvatar } from '../components/child-avatar.tsx';
import { MoodFace } from '../components/mood-face.tsx';
import { useIdle } from '../lib/hooks.ts';

const MOODS = [1, 2, 3, 4, 5] as const;

/** Props of {@link MoodScreen}. */
export interface MoodScreenProps {
  t: Translate;
  locale: Locale;
  /** The child who tapped first, then their brothers and sisters on the call. */
  childrenOnCall: KioskCallChild[];
  onMood: (child: KioskCallChild, mood: number) => Promise<void>;
  onDone: () => void;
}

/** After the call: five faces for each child on it, no words needed; then thanks and back to the photos. */
export function MoodScreen({ t, locale, childrenOnCall, onMood, onDone }: MoodScreenProps) {
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const child = childrenOnCall[index];
  useIdle(onDone);

  useEffect(() => {
    say(
      child
        ? [{ key: 'kiosk.call.over' }, { key: 'kiosk.mood.question', name: child.givenName }]
        : { key: 'kiosk.mood.thanks' },
      t,
      locale,
    );
  }, [child, t, locale]);
  useEffect(() => {
    if (child) return;
    const timer = setTimeout(onDone, 3000);
    return () => clearTimeout(timer);
  }, [child, onDone]);

  if (!child) {
    return (
      <main class="screen mood" data-screen="thanks">
        <h1 class="mood__thanks">{t('kiosk.mood.thanks')}</h1>
      </main>
    );
  }
  const pick = async (mood: number) => {
    if (busy) return;
    setBusy(true);
    try {
      await onMood(child, mood);
    } finally {
      setBusy(false);
      setIndex((i) => i + 1);
    }
  };
  return (
    <main class="screen mood" data-screen="mood" data-child={child.id}>
      <p class="mood__over">{t('kiosk.call.over')}</p>
      <ChildAvatar name={child.givenName} colour={child.colour} size={140} photoUrl={child.photoUrl} />
      <h1>{t('kiosk.mood.question', { name: child.givenName })}</h1>
      <div class="faces">
        {MOODS.map((mood) => (
          <button
            key={mood}
            type="button"
            class="face"
            data-mood={mood}
            aria-label={t(`kiosk.mood.${mood}` as const)}
            onClick={() => pick(mood)}
            disabled={busy}
          >
            <MoodFace mood={mood} />
          </button>
        ))}
      </div>
    </main>
  );
}
