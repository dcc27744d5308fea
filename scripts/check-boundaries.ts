/**
 * Checks the direction of dependencies between workspaces (ARCHITECTURE.md):
 * - each workspace depends only on the workspaces it is allowed to;
 * - each import of `@affection/x` is declared in the importing workspace's package.json;
 * - nobody imports deeper than an entry point (`@affection/x/...`);
 * - source files do not reach into another workspace by a relative path (tests use `@affection/test-support`);
 * - `packages/core` imports no `node:*` module;
 * - `scripts/` imports packages (by their entry points) and the apps' main modules (`apps/<name>/src/main.ts`), its
 *   own files, and never `tests/` (`npm start` must run without the test harness).
 * Biome checks import cycles and `process.env` outside the env modules. Exits 1 on any violation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

const ALLOWED: Record<string, string[]> = {
  core: [],
  config: [],
  ui: [],
  db: ['core'],
  telephony: ['core', 'db'],
  bookings: ['core', 'db'],
  jobs: ['core', 'db', 'telephony', 'bookings'],
  runtime: ['core', 'config', 'db', 'jobs', 'telephony', 'bookings'],
  server: ['core', 'config', 'db', 'jobs', 'telephony', 'bookings', 'runtime', 'ui'],
  worker: ['core', 'config', 'db', 'jobs', 'telephony', 'bookings', 'runtime'],
  kiosk: ['core', 'ui'],
  family: ['core', 'ui'],
  console: ['core', 'ui'],
};

const problems: string[] = [];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else if (/\.(ts|tsx)$/.test(entry)) out.push(full);
  }
  return out;
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

for (const group of ['apps', 'packages']) {
  for (const name of readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, name);
    const manifestPath = path.join(dir, 'package.json');
    let manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch {
      continue;
    }
    const allowed = ALLOWED[name];
    if (!allowed) {
      problems.push(`${group}/${name}: unknown workspace; add it to ALLOWED in scripts/check-boundaries.ts`);
      continue;
    }
    const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
      .filter((d) => d.startsWith('@affection/'))
      .map((d) => d.slice('@affection/'.length));
    for (const dep of declared) {
      if (!allowed.includes(dep)) problems.push(`${group}/${name}/package.json: may not depend on @affection/${dep}`);
    }
    const srcDir = path.join(dir, 'src');
    let files: string[] = [];
    try {
      files = listFiles(srcDir);
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = path.relative(root, file);
      const isTest = /\.test\.tsx?$/.test(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? match[3];
        if (!spec) continue;
        if (spec.startsWith('@affection/')) {
          const [, pkg, ...deeper] = spec.split('/');
          // Front ends may import the server's route types for a typed client.
          if (pkg === 'server' && ['kiosk', 'family', 'console'].includes(name)) continue;
          // Every test may use the harness (a workspace of its own, tests/support).
          if (pkg === 'test-support' && isTest) continue;
          if (deeper.length > 0) problems.push(`${rel}: imports ${spec}: use the package entry point`);
          if (pkg && pkg !== name && !declared.includes(pkg))
            problems.push(`${rel}: imports @affection/${pkg}, which ${group}/${name}/package.json does not declare`);
        } else if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          const inside = target.startsWith(dir + path.sep);
          const toSupport = target.startsWith(path.join(root, 'tests', 'support'));
          if (!inside && !(isTest && toSupport))
            problems.push(`${rel}: relative import ${spec} leaves ${group}/${name}`);
        } else if (name === 'core' && spec.startsWith('node:')) {
          problems.push(`${rel}: packages/core is pure and may not import ${spec}`);
        }
      }
    }
  }
}

// Scripts: packages by entry point, the apps' mains, each other; never the test harness.
const packageNames = new Set(readdirSync(path.join(root, 'packages')));
const scriptsDir = path.join(root, 'scripts');
for (const file of listFiles(scriptsDir)) {
  const rel = path.relative(root, file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec) continue;
    if (spec.startsWith('@affection/')) {
      const [, pkg, ...deeper] = spec.split('/');
      if (!pkg || !packageNames.has(pkg)) problems.push(`${rel}: imports ${spec}: scripts may import packages only`);
      if (deeper.length > 0) problems.push(`${rel}: imports ${spec}: use the package entry point`);
    } else if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      const isScript = target.startsWith(scriptsDir + path.sep);
      const isAppMain = /^apps\/[^/]+\/src\/main\.ts$/.test(path.relative(root, target));
      if (target.startsWith(path.join(root, 'tests') + path.sep)) {
        problems.push(`${rel}: imports ${spec}: scripts never import the test harness (tests/)`);
      } else if (!isScript && !isAppMain) {
        problems.push(`${rel}: imports ${spec}: scripts may import packages and the apps' main modules only`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`Dependency rules broken (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('Dependency rules hold.');
