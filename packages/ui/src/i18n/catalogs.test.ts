import { describe, expect, it } from 'vitest';
import { CATALOGS, LOCALES, pickLocale } from './catalogs.ts';

describe('message catalogs', () => {
  it('have the same keys in every language', () => {
    const reference = Object.keys(CATALOGS['zh-CN']).sort();
    for (const locale of LOCALES) expect(Object.keys(CATALOGS[locale]).sort()).toEqual(reference);
  });

  it('have no empty message', () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(CATALOGS[locale])) expect(text.trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('write Chinese in the zh-CN catalog', () => {
    // Chinese characters, or Chinese punctuation for a message that is only a separator or a pattern (、, （）).
    for (const [key, text] of Object.entries(CATALOGS['zh-CN'])) {
      expect(text, key).toMatch(/[\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e]/);
    }
  });

  it('picks zh-CN first and falls back to it', () => {
    expect(pickLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale(['en-GB'])).toBe('en');
    expect(pickLocale(['fr-FR'])).toBe('zh-CN');
    expect(pickLocale([])).toBe('zh-CN');
  });
});
