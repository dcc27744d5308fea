import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { translator } from '@affection/ui';
import { describe, expect, it } from 'vitest';
import {
  clipIdOf,
  everyClip,
  hasClip,
  MAX_WAIT_MINUTES,
  partsOf,
  RELATIONS,
  SPOKEN_PROMPTS,
} from './spoken-prompts.ts';

const kioskDir = path.resolve(import.meta.dirname, '../..');
const clipDir = path.join(kioskDir, 'public/audio/zh-CN');
const manifest = JSON.parse(readFileSync(path.join(kioskDir, 'src/audio/clips.zh-CN.json'), 'utf8')) as {
  clips: Record<string, { text: string; durationMs: number; source: string }>;
};
const t = translator('zh-CN');
const REMAKE = 'make the clips again: npm run clips -w @affection/kiosk';

describe('the recorded prompts', () => {
  it('has a clip for every fixed prompt, made from the catalog text it says today', () => {
    const clips = everyClip(t);
    // Every prompt key, every caller and every minute has its clips.
    for (const key of Object.keys(SPOKEN_PROMPTS)) expect(clips.some((clip) => clip.id.startsWith(key))).toBe(true);
    expect(clips.filter((clip) => clip.id.startsWith('kiosk.call.waiting.'))).toHaveLength(RELATIONS.length);
    expect(clips.filter((clip) => clip.id.startsWith('kiosk.ready.wait.'))).toHaveLength(MAX_WAIT_MINUTES);
    for (const { id, text } of clips) {
      const file = path.join(clipDir, `${id}.mp3`);
      expect(statSync(file, { throwIfNoEntry: false })?.isFile(), `${id}.mp3 is missing: ${REMAKE}`).toBe(true);
      expect(manifest.clips[id]?.text, `${id} says other words than the catalog: ${REMAKE}`).toBe(text);
    }
    // Nothing left over from prompts that are gone.
    const expected = new Set(clips.map((clip) => `${clip.id}.mp3`));
    expect(readdirSync(clipDir).filter((file) => !expected.has(file))).toEqual([]);
    expect(Object.keys(manifest.clips).sort()).toEqual(clips.map((clip) => clip.id).sort());
  });

  it('keeps each clip short and small: a few seconds of speech, tens of kilobytes', () => {
    for (const [id, clip] of Object.entries(manifest.clips)) {
      expect(clip.durationMs, id).toBeGreaterThan(500);
      expect(clip.durationMs, id).toBeLessThan(8000);
      expect(statSync(path.join(clipDir, `${id}.mp3`)).size, id).toBeLessThan(40 * 1024);
    }
  });

  it('cuts a prompt at the name: the clips say everything but the name, the speech engine says the name', () => {
    expect(partsOf({ key: 'kiosk.ready.spoken', name: '小明', caller: 'grandmother' }, t)).toEqual([
      { name: '小明' },
      { clip: 'kiosk.ready.spoken.grandmother.after-name', text: '点绿色的按钮，给奶奶打电话' },
    ]);
    expect(partsOf({ key: 'kiosk.mood.question', name: '小红' }, t)).toEqual([
      { name: '小红' },
      { clip: 'kiosk.mood.question.after-name', text: '今天心情怎么样' },
    ]);
    expect(partsOf({ key: 'kiosk.call.waiting', caller: 'father' }, t)).toEqual([
      { clip: 'kiosk.call.waiting.father', text: '爸爸马上就来啦！' },
    ]);
    expect(clipIdOf({ key: 'kiosk.ready.wait', minutes: 7 })).toBe('kiosk.ready.wait.7');
  });

  it('has clips for whole minutes up to the longest wait a tile can show, and none past it', () => {
    expect(hasClip({ key: 'kiosk.ready.wait', minutes: 1 })).toBe(true);
    expect(hasClip({ key: 'kiosk.ready.wait', minutes: MAX_WAIT_MINUTES })).toBe(true);
    expect(hasClip({ key: 'kiosk.ready.wait', minutes: 0 })).toBe(false);
    expect(hasClip({ key: 'kiosk.ready.wait', minutes: MAX_WAIT_MINUTES + 1 })).toBe(false);
    expect(hasClip({ key: 'kiosk.tagline' })).toBe(true);
  });

  it('leaves the speech engine to the one module that says names', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry) && !entry.endsWith('.test.ts')) sources.push(full);
      }
    };
    walk(path.join(kioskDir, 'src'));
    const users = sources.filter((file) => readFileSync(file, 'utf8').includes('speechSynthesis'));
    expect(users.map((file) => path.relative(kioskDir, file))).toEqual(['src/audio/say.ts']);
  });
});
