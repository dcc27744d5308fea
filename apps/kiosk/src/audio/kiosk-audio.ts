/**
 * The kiosk's one `AudioContext`, for the recorded prompts and the chime. Browsers keep a page silent until
 * a person touches it, so the context is made and started on the first tap (and on later taps while it is
 * not playing). When it cannot play — no sound device, or it stays stopped after a tap — the kiosk's
 * health says so, for the teacher to see.
 */

/**
 * What the kiosk knows about its sound: `locked` until the first tap, `ok` once it plays, `no-output`
 * when it cannot play (no `AudioContext`, or one that stays stopped after a tap).
 */
export type AudioHealth = 'locked' | 'ok' | 'no-output';

/** How long a started context may take to run and move its clock before the kiosk says it has no sound. */
const START_WITHIN_MS = 1500;

let context: AudioContext | undefined;
let health: AudioHealth = 'locked';
let checking: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(health: AudioHealth) => void>();

function setHealth(next: AudioHealth): void {
  if (next === health) return;
  health = next;
  for (const listener of listeners) listener(health);
}

/** The sound's state now. */
export function audioHealth(): AudioHealth {
  return health;
}

/** Calls `listener` whenever the sound's state changes; returns the way to stop. */
export function onAudioHealth(listener: (health: AudioHealth) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The context once a tap has started it; undefined before the first tap (nothing can be heard then) and
 * when it is closed. Right after the tap it may still be starting: what is played then is heard as soon as
 * it runs.
 */
export function startedAudio(): AudioContext | undefined {
  return context && context.state !== 'closed' ? context : undefined;
}

function createContext(): AudioContext | undefined {
  try {
    const made = new AudioContext();
    made.addEventListener('statechange', () => {
      if (made.state === 'running') setHealth('ok');
    });
    // Chromium reports a lost or missing output device as an error event on the context.
    made.addEventListener('error', () => setHealth('no-output'));
    return made;
  } catch {
    setHealth('no-output');
    return undefined;
  }
}

function unlock(): void {
  context ??= createContext();
  const started = context;
  if (!started || started.state === 'closed') {
    setHealth('no-output');
    return;
  }
  if (started.state === 'running' && health === 'ok') return;
  // A short silent sound in the tap itself: some browsers start the output only for a sound started by a tap.
  const silence = started.createBufferSource();
  silence.buffer = started.createBuffer(1, 1, started.sampleRate);
  silence.connect(started.destination);
  silence.start();
  const clockAtTap = started.currentTime;
  void started.resume().catch(() => setHealth('no-output'));
  clearTimeout(checking);
  checking = setTimeout(() => {
    // Running with a clock that moves is a working output; a context still suspended, or one whose clock
    // stands still, has nowhere to play.
    setHealth(started.state === 'running' && started.currentTime > clockAtTap ? 'ok' : 'no-output');
  }, START_WITHIN_MS);
}

/**
 * Listens for taps anywhere on the page and starts the sound with the first one (again after a tap
 * while it has stopped). Call once at start-up.
 */
export function unlockAudioOnTap(): void {
  document.addEventListener('pointerdown', unlock, { capture: true, passive: true });
}
