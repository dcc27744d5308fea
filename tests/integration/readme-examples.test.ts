import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Characters a URL may hold as typed into a shell (RFC 3986), plus `…` where the reader puts an id. */
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%…]+$/;

describe("the README's shell examples", () => {
  it('percent-encode every URL they send, so that any shell and any curl sends the same bytes', async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    const urls = blocks.flatMap((block) =>
      [...block.matchAll(/https?:\/\/[^\s'"]+/g)].map((match) => match[0].replace(/[)`]+$/, '')),
    );
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !URL_CHARACTERS.test(url))).toEqual([]);
  });
});
