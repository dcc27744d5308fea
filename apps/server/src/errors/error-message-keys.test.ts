import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ERROR_MESSAGE_KEYS, ERROR_REASONS } from '@affection/core';
import { CATALOGS, LOCALES } from '@affection/ui';
import { describe, expect, it } from 'vitest';

const serverSrc = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry) && !/\.test\.ts$/.test(entry) ? [full] : [];
  });
}

const sources = sourceFiles(serverSrc).map((file) => ({
  file: path.relative(serverSrc, file),
  text: readFileSync(file, 'utf8'),
}));
const allReasons = new Set(Object.values(ERROR_REASONS).flatMap((reasons) => [...reasons] as string[]));

describe('error message keys', () => {
  it('every refusal reason has its error.<area>.<reason> message in both catalogs', () => {
    expect(ERROR_MESSAGE_KEYS.length).toBeGreaterThan(50);
    for (const locale of LOCALES) {
      const missing = ERROR_MESSAGE_KEYS.filter((key) => !(key in CATALOGS[locale]));
      expect(missing, `missing in ${locale}`).toEqual([]);
    }
  });

  it('every userMessageKey the server sets is such a key (a literal, or error.<area>. and a reason)', () => {
    const known = new Set<string>(ERROR_MESSAGE_KEYS);
    const found: string[] = [];
    for (const { file, text } of sources) {
      if (file === path.join('routes', 'route-refusals.ts')) continue; // builds error.<area>.<reason> for any area
      for (const match of text.matchAll(/userMessageKey:\s*(['`])([^'`]+)\1/g)) {
        const key = match[2] ?? '';
        found.push(key);
        if (key.includes('${')) {
          const area = /^error\.([a-z-]+)\./.exec(key)?.[1] ?? '';
          expect(area in ERROR_REASONS, `${file}: ${key}`).toBe(true);
        } else {
          expect(known.has(key), `${file}: ${key}`).toBe(true);
        }
      }
    }
    expect(found.length).toBeGreaterThan(20);
  });

  it('every literal details.reason the server sends is a listed refusal reason', () => {
    const unknown: string[] = [];
    for (const { file, text } of sources) {
      if (file.startsWith('webhooks/')) continue; // provider answers, not refusals to our clients
      for (const match of text.matchAll(/details:\s*\{[^}]*?\breason:\s*'([^']+)'/g)) {
        const reason = match[1] ?? '';
        if (!allReasons.has(reason)) unknown.push(`${file}: ${reason}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('no catalog keeps an error message outside the error.<area>.<reason> style', () => {
    const strays = Object.keys(CATALOGS['zh-CN']).filter(
      (key) => /(^|\.)error(\.|-|$)/.test(key) && !key.startsWith('error.'),
    );
    expect(strays).toEqual([]);
  });
});
