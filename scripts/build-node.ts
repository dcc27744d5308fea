/**
 * The production build of the Node processes: `npm run build` (turbo) runs it in `apps/server` and `apps/worker`
 * (`node ../../scripts/build-node.ts <server|worker>`; Node runs this file as it is), and `npm start` builds its
 * own bundle with it (`start`). esbuild bundles each entry with our workspace packages
 * (which export TypeScript sources) into one ES module under the app's `dist/`, and leaves every package from
 * node_modules external (but for {@link BUNDLED_PACKAGES}), so native and data-carrying packages (argon2, PGlite's wasm and data files, pino) load
 * from node_modules as they do under tsx. The output runs with plain `node`: no tsx, no esbuild at run time.
 *
 * `import.meta.url` keeps meaning the file it is written in: in every bundled module but the entry, it is replaced
 * by that source file's URL, computed from the bundle's own location (so `dist/` still works when the checkout
 * moves). The migrations folder, found beside the database package's source, relies on it; and the entries'
 * "am I the main module" checks stay true only for the entry that was started.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** What each app's build produces: entry (from the repository's root) → output (in the app's `dist/`). */
const TARGETS: Record<string, { entry: string; out: string }[]> = {
  server: [
    { entry: 'apps/server/src/main.ts', out: 'apps/server/dist/main.js' },
    { entry: 'scripts/db-migrate.ts', out: 'apps/server/dist/db-migrate.js' },
  ],
  worker: [{ entry: 'apps/worker/src/main.ts', out: 'apps/worker/dist/main.js' }],
  // `npm start`: the server and the workers in one process, with its own Redis and LiveKit; it creates a new folder's
  // embedded database with the second bundle, in a process of its own.
  start: [
    { entry: 'scripts/start.ts', out: 'dist/start.js' },
    { entry: 'scripts/db-migrate.ts', out: 'dist/db-migrate.js' },
  ],
};

/**
 * Packages from node_modules bundled all the same: plain JavaScript whose loading as separate ES modules costs
 * memory. drizzle-orm's package.json is 175 kB of subpath exports, and Node's ES module loader keeps about 1 MB per
 * drizzle module loaded until the import graph finishes: importing it alone grew the heap to about 190 MB and left
 * the process at about 140 MB RSS (55 MB through `require`). Bundled, its modules are resolved once, here.
 */
const BUNDLED_PACKAGES = ['drizzle-orm'];

/**
 * Bundles `@affection/*` (TypeScript sources), relative imports and {@link BUNDLED_PACKAGES}; leaves the other
 * node_modules packages and `node:*` out.
 */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return name?.startsWith('@affection/') || BUNDLED_PACKAGES.includes(name ?? '')
        ? undefined
        : { path: args.path, external: true };
    });
  },
};

/** The name under which each bundle imports `fileURLToPath` for the rewritten `import.meta.filename`/`dirname`. */
const SOURCE_PATH = '__sourcePathOf';

/**
 * Rewrites `import.meta.url` (and `filename`, `dirname`) in every bundled source but the entry to that source's own
 * location (see above).
 */
function sourceUrls(entry: string, outDir: string): Plugin {
  return {
    name: 'source-urls',
    setup(context) {
      context.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        const contents = await readFile(args.path, 'utf8');
        if (args.path === entry || !contents.includes('import.meta.')) return { contents, loader: 'ts' };
        const url = (file: string) =>
          `new URL(${JSON.stringify(path.relative(outDir, file).split(path.sep).join('/') || '.')}, import.meta.url)`;
        return {
          contents: contents
            .replaceAll('import.meta.url', `${url(args.path)}.href`)
            .replaceAll('import.meta.filename', `${SOURCE_PATH}(${url(args.path)})`)
            .replaceAll('import.meta.dirname', `${SOURCE_PATH}(${url(path.dirname(args.path))})`),
          loader: 'ts',
        };
      });
    },
  };
}

const app = process.argv[2] ?? '';
const targets = TARGETS[app];
if (!targets) {
  console.error(`usage: build-node.ts <${Object.keys(TARGETS).join('|')}>`);
  process.exit(2);
}
for (const target of targets) {
  const entry = path.join(root, target.entry);
  const outfile = path.join(root, target.out);
  const started = performance.now();
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    metafile: true,
    banner: { js: `import { fileURLToPath as ${SOURCE_PATH} } from 'node:url';` },
    logLevel: 'warning',
    plugins: [externalPackages, sourceUrls(entry, path.dirname(outfile))],
    write: false,
  });
  // Each file is written under a name of this process's and renamed into place: a process started from the bundle
  // while another build runs (two test files, a deploy beside a running service) reads the old file or the new one,
  // never half of one.
  await mkdir(path.dirname(outfile), { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + (o.bytes ?? 0), 0);
  console.log(
    `${target.out}: ${(bytes / 1024).toFixed(0)} kB with its map, ${Math.round(performance.now() - started)} ms`,
  );
}
