/**
 * A soft two-note chime (a falling fifth, sine tones with a slow fade), made with WebAudio so that
 * no sound file ships. Needs an `AudioContext` created after a tap, as browsers require.
 */
export function playChime(context: AudioContext): void {
  const start = context.currentTime + 0.05;
  for (const [index, frequency] of [784, 523].entries()) {
    const at = start + index * 0.45;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.4);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 1.5);
  }
}
