import { playTones } from '../sound/play-tones.ts';

/**
 * The short "a call is here" sound of the parents' page: two rising sine notes made with Web Audio (no sound file
 * to download). A browser lets a page make sound only after a tap on it, so the audio is unlocked on the parent's
 * first tap anywhere on the page; before that, or where Web Audio is missing, the new call is only shown.
 */
export interface ArrivalChime {
  /** Plays the chime; false when the page may not make sound yet (no tap so far) or cannot. */
  play(): boolean;
  /** Stops listening for the first tap and frees the audio. */
  dispose(): void;
}

type AudioContextConstructor = new () => AudioContext;

function audioContextClass(): AudioContextConstructor | null {
  const w = window as unknown as {
    AudioContext?: AudioContextConstructor;
    webkitAudioContext?: AudioContextConstructor;
  };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

/** Creates the chime and waits for the parent's first tap to unlock it. */
export function createArrivalChime(target: EventTarget = document): ArrivalChime {
  let context: AudioContext | null = null;
  const unlock = () => {
    const Context = audioContextClass();
    if (!Context || context) return;
    try {
      context = new Context();
      void context.resume().catch(() => undefined);
    } catch {
      context = null;
    }
    target.removeEventListener('pointerdown', unlock);
  };
  target.addEventListener('pointerdown', unlock);
  return {
    play() {
      if (context?.state !== 'running') return false;
      playTones(context, { frequencies: [523, 784], gapSeconds: 0.25, peak: 0.3, fadeSeconds: 0.6 });
      return true;
    },
    dispose() {
      target.removeEventListener('pointerdown', unlock);
      void context?.close().catch(() => undefined);
      context = null;
    },
  };
}
