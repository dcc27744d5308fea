import type { Locale, Translate } from '@affection/ui';
import { startedAudio } from './kiosk-audio.ts';
import { hasClip, partsOf, type SpokenPrompt, textOf } from './spoken-prompts.ts';

/** Where the clips are served: beside the kiosk's page (`public/audio/<locale>/<clip>.mp3`). */
const CLIP_BASE = `${import.meta.env.BASE_URL}audio/`;
/** The languages that have recorded clips; the others are said by the speech engine, when it has a voice. */
const RECORDED: ReadonlySet<Locale> = new Set(['zh-CN']);
/** The longest the speech engine may take over a name before the clips go on. */
const NAME_AT_MOST_MS = 2500;

const decoded = new Map<string, Promise<AudioBuffer | undefined>>();
/** Bumped by every new prompt and by {@link stopSaying}: a sequence that is no longer the latest stops. */
let generation = 0;
let playing: AudioBufferSourceNode | undefined;

function clipBuffer(context: AudioContext, url: string): Promise<AudioBuffer | undefined> {
  let buffer = decoded.get(url);
  if (!buffer) {
    buffer = fetch(url)
      .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(new Error(String(response.status)))))
      .then((bytes) => context.decodeAudioData(bytes))
      .catch(() => {
        // Not kept: the next prompt tries again (the network may be back).
        decoded.delete(url);
        return undefined;
      });
    decoded.set(url, buffer);
  }
  return buffer;
}

function playBuffer(context: AudioContext, buffer: AudioBuffer): Promise<void> {
  return new Promise((resolve) => {
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.addEventListener('ended', () => resolve(), { once: true });
    playing = source;
    source.start();
  });
}

function voiceFor(locale: Locale): SpeechSynthesisVoice | undefined {
  if (!('speechSynthesis' in window)) return undefined;
  const language = locale.slice(0, 2).toLowerCase();
  const voices = window.speechSynthesis.getVoices();
  return (
    voices.find((voice) => voice.lang.replace('_', '-') === locale) ??
    voices.find((voice) => voice.lang.toLowerCase().startsWith(language))
  );
}

/** Says `text` with the browser's speech engine; resolves when it is said, at once when there is no voice. */
function speakText(text: string, locale: Locale): Promise<void> {
  const voice = voiceFor(locale);
  if (!voice) return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    utterance.addEventListener('end', () => resolve(), { once: true });
    utterance.addEventListener('error', () => resolve(), { once: true });
    // Some engines never say they are done: the rest of the prompt still comes.
    setTimeout(resolve, NAME_AT_MOST_MS);
    window.speechSynthesis.speak(utterance);
  });
}

/** Asks the browser to load its speech voices early: the list is often empty on the first call. */
export function warmUpSpeech(): void {
  if ('speechSynthesis' in window) window.speechSynthesis.getVoices();
}

/** Stops whatever is being said (a call starts: the parent's voice comes first). */
export function stopSaying(): void {
  generation += 1;
  try {
    playing?.stop();
  } catch {
    // Already over.
  }
  playing = undefined;
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}

/**
 * Says `prompts` one after the other, replacing whatever was being said. In Mandarin each prompt is its
 * recorded clips, and a child's name between them is said by the browser's speech engine only where it
 * has a Mandarin voice (without one, the clips play without the name). Other languages go to the speech
 * engine whole. Silent until the first tap has started the sound: the words are on the screen too.
 *
 * @example say([{ key: 'kiosk.call.over' }, { key: 'kiosk.mood.question', name: '小明' }], t, 'zh-CN')
 */
export function say(prompts: SpokenPrompt | SpokenPrompt[], t: Translate, locale: Locale): void {
  stopSaying();
  const context = startedAudio();
  if (!context) return;
  const mine = generation;
  const list = Array.isArray(prompts) ? prompts : [prompts];
  void (async () => {
    for (const prompt of list) {
      const recorded = RECORDED.has(locale) && hasClip(prompt);
      if (!recorded) {
        // No clip for this language or value: the engine says the whole sentence, if it can.
        await speakText(textOf(prompt, t), locale);
        if (mine !== generation) return;
        continue;
      }
      const parts = partsOf(prompt, t);
      // Fetch every clip of the prompt at once: no gap after the name.
      const buffers = parts.map((part) =>
        'clip' in part ? clipBuffer(context, `${CLIP_BASE}${locale}/${part.clip}.mp3`) : undefined,
      );
      for (const [index, part] of parts.entries()) {
        if ('name' in part) await speakText(part.name, locale);
        else {
          const buffer = await buffers[index];
          if (mine !== generation) return;
          if (buffer) await playBuffer(context, buffer);
        }
        if (mine !== generation) return;
      }
    }
  })();
}
