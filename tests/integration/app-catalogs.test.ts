import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_MESSAGE_PREFIXES, appCatalogPlugin, appShipsMessage, CATALOGS, type MessageApp } from '@affection/ui';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APPS = Object.keys(APP_MESSAGE_PREFIXES) as MessageApp[];
const KEYS = Object.keys(CATALOGS['zh-CN']);
const AREAS = new Set(KEYS.map((key) => key.split('.')[0]));

async function sourcesOf(app: MessageApp): Promise<string[]> {
  const dir = path.join(root, 'apps', app, 'src');
  const files = (await readdir(dir, { recursive: true })).filter(
    (file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file),
  );
  return Promise.all(files.map((file) => readFile(path.join(dir, file), 'utf8')));
}

/** Every message key an app's code names: whole keys in quotes, and the fixed start of keys built in a template. */
function keysNamedIn(source: string): { whole: string[]; starts: string[] } {
  const whole: string[] = [];
  const starts: string[] = [];
  for (const match of source.matchAll(/['"`]([a-z-]+\.[A-Za-z0-9_.-]+)(['"`]|\$\{)/g)) {
    const [, text, end] = match as unknown as [string, string, string];
    if (!AREAS.has(text.split('.')[0])) continue;
    if (end === '${') starts.push(text);
    else if (KEYS.includes(text)) whole.push(text);
  }
  return { whole, starts };
}

describe("each front end's bundle keeps only its own messages", () => {
  it.each(APPS)('%s ships every message its code names', async (app) => {
    const missing: string[] = [];
    for (const source of await sourcesOf(app)) {
      const { whole, starts } = keysNamedIn(source);
      for (const key of whole) if (!appShipsMessage(app, key)) missing.push(key);
      for (const start of starts) if (!appShipsMessage(app, start)) missing.push(`${start}…`);
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('cuts the catalogs down at build time and leaves other files alone', () => {
    const plugin = appCatalogPlugin('kiosk');
    const catalog = JSON.stringify(CATALOGS['zh-CN']);
    const kept = JSON.parse(plugin.transform(catalog, path.join(root, 'packages/ui/src/i18n/zh-CN.json')) ?? '{}');
    expect(kept['kiosk.tagline']).toBe(CATALOGS['zh-CN']['kiosk.tagline']);
    expect(kept['error.common.internal']).toBe(CATALOGS['zh-CN']['error.common.internal']);
    expect(Object.keys(kept).some((key) => key.startsWith('console.') || key.startsWith('family.'))).toBe(false);
    expect(plugin.transform(catalog, path.join(root, 'apps/kiosk/src/other.json'))).toBeNull();
  });
});
