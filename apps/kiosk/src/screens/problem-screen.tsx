import type { Locale, MessageKey, Translate } from '@affection/ui';
import { useEffect } from 'preact/hooks';
import { say } from '../audio/say.ts';
import type { SpokenPromptKey } from '../audio/spoken-prompts.ts';
import type { CallProblem } from '../call/start-call.ts';
import { BackIcon, CameraOffIcon, HelpIcon } from '../components/icons.tsx';
import { useIdle } from '../lib/hooks.ts';

/**
 * Each problem's title and the line below it, if any. The line is said aloud, or the title when there is none:
 * so that one is a prompt with recorded clips.
 */
const TEXT: Record<
  CallProblem,
  { title: MessageKey; message: SpokenPromptKey } | { title: SpokenPromptKey; message?: undefined }
> = {
  camera: { title: 'kiosk.call.camera-denied-title', message: 'kiosk.call.camera-denied' },
  'not-yet': { title: 'error.kiosk-call.not-yet' },
  ended: { title: 'error.kiosk-call.ended' },
  cancelled: { title: 'error.kiosk-call.cancelled' },
  unavailable: { title: 'error.kiosk-call.calls-unavailable' },
  offline: { title: 'error.kiosk.offline' },
  failed: { title: 'kiosk.call.failed' },
};

/** Props of {@link ProblemScreen}. */
export interface ProblemScreenProps {
  t: Translate;
  locale: Locale;
  problem: CallProblem;
  onBack: () => void;
}

/** Something stopped the call: say what to do next (usually: ask the teacher), then back to the photos. */
export function ProblemScreen({ t, locale, problem, onBack }: ProblemScreenProps) {
  const text = TEXT[problem];
  useIdle(onBack);
  useEffect(() => {
    say({ key: text.message === undefined ? text.title : text.message }, t, locale);
  }, [t, text, locale]);
  return (
    <main class="screen problem" data-screen="problem" data-problem={problem}>
      <div class="problem__icon">{problem === 'camera' ? <CameraOffIcon /> : <HelpIcon />}</div>
      <h1>{t(text.title)}</h1>
      {text.message ? <p class="problem__message">{t(text.message)}</p> : null}
      <button type="button" class="big-button" onClick={onBack}>
        <BackIcon />
        <span>{t('kiosk.back')}</span>
      </button>
    </main>
  );
}
