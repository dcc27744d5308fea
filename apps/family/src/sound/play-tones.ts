/** The notes of a chime and how each sounds. */
export interface ToneShape {
  /** The notes in order, in hertz. */
  frequencies: readonly number[];
  /** Seconds from one note's start to the next's. */
  gapSeconds: number;
  /** Loudness at the top of each note (0–1). */
  peak: number;
  /** Seconds each note takes to fade out. */
  fadeSeconds: number;
}

/**
 * Plays a short chime of sine notes, each rising in 30 ms and fading slowly, made with Web Audio so that no sound
 * file ships. The context must be running (browsers allow that only after a tap on the page).
 *
 * @example playTones(context, { frequencies: [784, 523], gapSeconds: 0.45, peak: 0.25, fadeSeconds: 1.4 })
 */
export function playTones(context: AudioContext, shape: ToneShape): void {
  const start = context.currentTime + 0.05;
  for (const [index, frequency] of shape.frequencies.entries()) {
    const at = start + index * shape.gapSeconds;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(shape.peak, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + shape.fadeSeconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + shape.fadeSeconds + 0.1);
  }
}
