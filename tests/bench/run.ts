import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name> [args…]` runs `tests/bench/<name>.bench.ts`, whose default export is
 * `(args: string[]) => Promise<Record<string, unknown>>`. The runner prints the returned figures
 * as the last line, in JSON.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const module = (await import(path.join(here, `${name}.bench.ts`))) as {
  default: (args: string[]) => Promise<Record<string, unknown>>;
};
const figures = await module.default(args);
console.log(JSON.stringify({ bench: name, ...figures }));
process.exit(0);
