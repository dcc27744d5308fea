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
      const start = context.currentTime + 0.05;
      for (const [index, frequency] of [523, 784].entries()) {
        const at = start + index * 0.25;
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.3, at + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.6);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(at);
        oscillator.stop(at + 0.7);
      }
      return true;
    },
    dispose() {
      target.removeEventListener('pointerdown', unlock);
      void context?.close().catch(() => undefined);
      context = null;
    },
  };
}
