import { playTones } from '../sound/play-tones.ts';

/**
 * The "say goodbye" chime of the parent's call screen: the kiosk's soft two-note chime (a falling fifth, sine tones
 * with a slow fade), made with Web Audio so that no sound file ships. The page has had a tap (joining the call), so
 * the context may start; where it cannot, the words on the screen still give the cue.
 *
 * @returns whether the chime is playing: false when the browser has no Web Audio or its output would not start.
 */
export async function playGoodbyeChime(): Promise<boolean> {
  let context: AudioContext;
  try {
    context = new AudioContext();
  } catch {
    return false;
  }
  await context.resume().catch(() => undefined);
  if (context.state !== 'running') {
    void context.close().catch(() => undefined);
    return false;
  }
  playTones(context, { frequencies: [784, 523], gapSeconds: 0.45, peak: 0.25, fadeSeconds: 1.4 });
  // Closed once the chime is over: a phone's audio stays free for the call.
  setTimeout(() => void context.close().catch(() => undefined), 2500);
  return true;
}
