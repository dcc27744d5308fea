/**
 * Makes the kiosk's recorded prompts: one MP3 per clip of `everyClip` (the zh-CN catalog texts), spoken by
 * eSpeak NG's Mandarin voice, trimmed of silence, levelled and encoded by SoX and LAME, into
 * `public/audio/zh-CN/<clip>.mp3`, and writes `src/audio/clips.zh-CN.json` (the words and length of each clip).
 *
 * A clip marked `"source": "recorded"` in that file (a human voice) is kept as long as its text has not changed;
 * a clip whose text changed is made again, and the script names the recorded clips that need recording again.
 *
 * Run: `npm run clips -w @affection/kiosk` (needs `espeak-ng`, `sox` and `lame`: `apt-get install espeak-ng sox lame`).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { translator } from '@affection/ui';
import { everyClip } from '../src/audio/spoken-prompts.ts';

const run = promisify(execFile);
const kioskDir = path.resolve(import.meta.dirname, '..');
const clipDir = path.join(kioskDir, 'public/audio/zh-CN');
const manifestPath = path.join(kioskDir, 'src/audio/clips.zh-CN.json');

/** eSpeak NG's Mandarin that reads the dictionary's pinyin as pinyin (plain `cmn` reads the tone digits in English). */
const VOICE = 'cmn-latn-pinyin+f2';
/** Words a minute: a little slower than eSpeak's 175, for children. */
const SPEED = 150;
const PITCH = 55;

/**
 * Words eSpeak NG reads wrongly (a character with two readings, tone changes in speech), given to it as pinyin
 * with tone numbers (5: the light tone). Only what eSpeak hears changes; the clip keeps the catalog's text.
 */
const PRONUNCIATION: [string, string][] = [
  ['重新', ' chong2 xin1 '],
  ['奶奶', ' nai3 nai5 '],
  ['爷爷', ' ye2 ye5 '],
  ['爸爸', ' ba4 ba5 '],
  ['妈妈', ' ma1 ma5 '],
  ['一下', ' yi2 xia4 '],
  ['等一等', ' deng3 yi5 deng3 '],
  ['谢谢', ' xie4 xie5 '],
  ['看看', ' kan4 kan5 '],
  ['不上', ' bu5 shang4 '],
];

/** The text as eSpeak NG should hear it. */
function spokenFormOf(text: string): string {
  return PRONUNCIATION.reduce((said, [word, pinyin]) => said.replaceAll(word, pinyin), text);
}

/** One clip as the manifest keeps it. */
interface ClipEntry {
  text: string;
  /** From the first to the last sound above the silence threshold (what a listener hears), ms. */
  durationMs: number;
  source: 'espeak-ng' | 'recorded';
}

async function need(tool: string, args: string[]): Promise<void> {
  try {
    await run(tool, args);
  } catch {
    throw new Error(`${tool} is missing: install it with \`apt-get install -y espeak-ng sox lame\`.`);
  }
}

/** The sound's length in ms as SoX reads it. */
async function lengthMs(file: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', file]);
  return Math.round(Number(stdout.trim()) * 1000);
}

async function makeClip(work: string, id: string, text: string): Promise<number> {
  const raw = path.join(work, `${id}.raw.wav`);
  const trimmed = path.join(work, `${id}.trimmed.wav`);
  const clean = path.join(work, `${id}.wav`);
  await run('espeak-ng', ['-v', VOICE, '-s', String(SPEED), '-p', String(PITCH), '-w', raw, spokenFormOf(text)]);
  // Mono 22.05 kHz with the silence cut from both ends; then (its length now known) a short fade in and
  // out, levelled to -1 dBFS.
  await run('sox', [
    raw,
    '-r',
    '22050',
    '-c',
    '1',
    trimmed,
    'silence',
    '1',
    '0.01',
    '0.5%',
    'reverse',
    'silence',
    '1',
    '0.01',
    '0.5%',
    'reverse',
  ]);
  await run('sox', [trimmed, clean, 'fade', 't', '0.01', '-0', '0.03', 'norm', '-1']);
  await run('lame', ['--quiet', '-m', 'm', '-b', '32', '--resample', '22.05', clean, path.join(clipDir, `${id}.mp3`)]);
  return lengthMs(clean);
}

async function main(): Promise<void> {
  await need('espeak-ng', ['--version']);
  await need('sox', ['--version']);
  await need('lame', ['--version']);
  const clips = everyClip(translator('zh-CN'));
  const before: Record<string, ClipEntry> = await readFile(manifestPath, 'utf8')
    .then((text) => (JSON.parse(text) as { clips: Record<string, ClipEntry> }).clips)
    .catch(() => ({}));
  await mkdir(clipDir, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), 'kiosk-clips-'));
  const after: Record<string, ClipEntry> = {};
  const reRecord: string[] = [];
  try {
    for (const { id, text } of clips) {
      const old = before[id];
      if (old?.source === 'recorded') {
        if (old.text === text) {
          after[id] = old;
          continue;
        }
        reRecord.push(id);
      }
      after[id] = { text, durationMs: await makeClip(work, id, text), source: 'espeak-ng' };
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  // Clips of prompts that are gone.
  for (const file of await readdir(clipDir)) {
    if (file.endsWith('.mp3') && !(file.slice(0, -4) in after)) await rm(path.join(clipDir, file));
  }
  await writeFile(manifestPath, `${JSON.stringify({ voice: VOICE, clips: after }, null, 2)}\n`);
  console.log(`${clips.length} clips in ${path.relative(kioskDir, clipDir)}`);
  if (reRecord.length > 0) console.log(`Their text changed; record these again: ${reRecord.join(', ')}`);
}

await main();
