import type { MessageKey, Translate } from '@affection/ui';
import type { Relation } from '../api/kiosk-api.ts';
import { RELATION_KEYS, relationWord } from '../lib/relation-word.ts';

/** Every relation a caller can have, in the order the clips are listed. */
export const RELATIONS = Object.keys(RELATION_KEYS) as Relation[];

/** The most minutes "还有{minutes}分钟就可以打啦" can say: a call shows 30 minutes before its start, opens 5 before. */
export const MAX_WAIT_MINUTES = 30;

/** What a spoken prompt's placeholders can hold. */
interface PromptShape {
  /** `{caller}`: one clip per relation. */
  caller?: true;
  /** `{minutes}`: one clip per whole minute from 1 to {@link MAX_WAIT_MINUTES}. */
  minutes?: true;
  /** `{name}`: the child's name, said by the browser's speech engine between the clips before and after it. */
  name?: true;
}

/**
 * Every fixed prompt the kiosk says aloud, with its placeholders. The recorded clips are made from these
 * catalog texts (zh-CN), one clip per value of `{caller}` and `{minutes}`; `{name}` is never recorded.
 */
export const SPOKEN_PROMPTS = {
  'kiosk.tagline': {},
  'kiosk.revoked.prompt': {},
  'kiosk.ready.spoken': { name: true, caller: true },
  'kiosk.ready.wait': { minutes: true },
  'kiosk.call.waiting': { caller: true },
  'kiosk.wait.parent-not-coming': { caller: true },
  'kiosk.call.reconnecting': {},
  'kiosk.call.over': {},
  'kiosk.mood.question': { name: true },
  'kiosk.mood.thanks': {},
  'kiosk.call.camera-denied': {},
  'kiosk.call.failed': {},
  'error.kiosk-call.not-yet': {},
  'error.kiosk-call.ended': {},
  'error.kiosk-call.cancelled': {},
  'error.kiosk-call.calls-unavailable': {},
  'error.kiosk.offline': {},
} as const satisfies Partial<Record<MessageKey, PromptShape>>;

/** A catalog key the kiosk says aloud. */
export type SpokenPromptKey = keyof typeof SPOKEN_PROMPTS;

/** One prompt to say, with the values of its placeholders. */
export interface SpokenPrompt {
  key: SpokenPromptKey;
  caller?: Relation;
  minutes?: number;
  /** The child's name, for `{name}`. */
  name?: string;
}

/** One piece of a spoken prompt: a recorded clip, or the child's name for the speech engine. */
export type SpokenPart = { clip: string; text: string } | { name: string };

/** Punctuation and spaces a clip does not start or end with (the pause is in the recording). */
const EDGE = /^[\s，。！？、,.!?]+|[\s，。！？、,.!?]+$/g;

function shapeOf(key: SpokenPromptKey): PromptShape {
  return SPOKEN_PROMPTS[key];
}

/**
 * The clip file's name (without `.mp3`) for a prompt and its placeholder values, e.g.
 * `kiosk.call.waiting.mother` or `kiosk.ready.spoken.father.after-name`.
 */
export function clipIdOf(prompt: SpokenPrompt, part?: 'before-name' | 'after-name'): string {
  const shape = shapeOf(prompt.key);
  return [
    prompt.key,
    shape.caller ? (prompt.caller ?? 'other') : undefined,
    shape.minutes ? String(prompt.minutes) : undefined,
    part,
  ]
    .filter((piece) => piece !== undefined)
    .join('.');
}

/** The values of a prompt's placeholders, with `name` for `{name}`. */
function varsOf(prompt: SpokenPrompt, t: Translate, name: string): Record<string, string | number> {
  const shape = shapeOf(prompt.key);
  const vars: Record<string, string | number> = { name };
  if (shape.caller) vars.caller = relationWord(t, prompt.caller);
  if (shape.minutes) vars.minutes = prompt.minutes ?? 0;
  return vars;
}

/** The whole sentence of a prompt in `t`'s language, the child's name in it: what the speech engine says. */
export function textOf(prompt: SpokenPrompt, t: Translate): string {
  return t(prompt.key, varsOf(prompt, t, prompt.name ?? ''));
}

/**
 * The parts a prompt is said in: its text (in `t`'s language) cut at `{name}`, each side a clip, the name
 * itself between them. Parts with no words are left out.
 */
export function partsOf(prompt: SpokenPrompt, t: Translate): SpokenPart[] {
  const text = t(prompt.key, varsOf(prompt, t, '\u0000'));
  if (!shapeOf(prompt.key).name) return [{ clip: clipIdOf(prompt), text }];
  const [before = '', after = ''] = text.split('\u0000');
  const parts: SpokenPart[] = [];
  if (before.replace(EDGE, '')) parts.push({ clip: clipIdOf(prompt, 'before-name'), text: before.replace(EDGE, '') });
  if (prompt.name) parts.push({ name: prompt.name });
  if (after.replace(EDGE, '')) parts.push({ clip: clipIdOf(prompt, 'after-name'), text: after.replace(EDGE, '') });
  return parts;
}

/** Whether a prompt has a recorded clip (a wait of more than {@link MAX_WAIT_MINUTES} has none). */
export function hasClip(prompt: SpokenPrompt): boolean {
  if (!shapeOf(prompt.key).minutes) return true;
  const minutes = prompt.minutes ?? 0;
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_WAIT_MINUTES;
}

/**
 * Every clip the kiosk can play, with the words it says in `t`'s language: what the clip script records
 * and what a recorded human voice must say.
 */
export function everyClip(t: Translate): { id: string; text: string }[] {
  const clips: { id: string; text: string }[] = [];
  for (const key of Object.keys(SPOKEN_PROMPTS) as SpokenPromptKey[]) {
    const shape = shapeOf(key);
    const callers: (Relation | undefined)[] = shape.caller ? [...RELATIONS] : [undefined];
    const minutes: (number | undefined)[] = shape.minutes
      ? Array.from({ length: MAX_WAIT_MINUTES }, (_, i) => i + 1)
      : [undefined];
    for (const caller of callers) {
      for (const minute of minutes) {
        const prompt: SpokenPrompt = { key, name: 'name' };
        if (caller) prompt.caller = caller;
        if (minute !== undefined) prompt.minutes = minute;
        for (const part of partsOf(prompt, t)) if ('clip' in part) clips.push({ id: part.clip, text: part.text });
      }
    }
  }
  return clips;
}
