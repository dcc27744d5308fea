import type { Locale } from '@affection/ui';

function voiceFor(locale: Locale): SpeechSynthesisVoice | undefined {
  const voices = window.speechSynthesis.getVoices();
  const language = locale.slice(0, 2);
  return (
    voices.find((voice) => voice.lang.replace('_', '-') === locale) ??
    voices.find((voice) => voice.lang.toLowerCase().startsWith(language))
  );
}

/** Asks the browser to load its voices early: the list is often empty on the first call. */
export function warmUpSpeech(): void {
  if ('speechSynthesis' in window) window.speechSynthesis.getVoices();
}

/**
 * Says `text` aloud in the kiosk's language, replacing whatever was being said. Silent when the
 * browser has no speech or no voice for the language: the words are on the screen too.
 */
export function speak(text: string, locale: Locale): void {
  if (!('speechSynthesis' in window)) return;
  const voice = voiceFor(locale);
  if (!voice) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = 0.9;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
}

/** Stops speaking (a call starts: the parent's voice comes first). */
export function stopSpeaking(): void {
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}
