import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { errorBody } from '../errors/error-handler.ts';
import { inlineHashesOf, setContentSecurityPolicy } from '../middleware/content-security-policy.ts';
import { declarePolicy } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';

/** The three front ends, each served from its `dist` folder under its own path. */
export const WEB_APPS = ['kiosk', 'family', 'console'] as const;

/** The inline blocks' hashes of a built page, read again when the page is rebuilt. */
function inlineHashesReader(indexPath: string): () => ReturnType<typeof inlineHashesOf> {
  let cached: { mtimeMs: number; hashes: ReturnType<typeof inlineHashesOf> } | undefined;
  return () => {
    if (!existsSync(indexPath)) return { inlineStyleHashes: [], inlineScriptHashes: [] };
    const { mtimeMs } = statSync(indexPath);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, hashes: inlineHashesOf(readFileSync(indexPath, 'utf8')) };
    return cached.hashes;
  };
}

/** Options for {@link serveWebApps}. */
export interface ServeWebAppsOptions {
  /** The `apps` folder holding `<name>/dist`. */
  appsDir: string;
}

/**
 * Serves each built front end at `/<name>/`, falling back to its `index.html` for client-side
 * routes, with the page's Content-Security-Policy. An app that has not been built answers 503 (in the
 * one error body) with the command that builds it.
 */
export function serveWebApps(app: Hono<AppEnv>, options: ServeWebAppsOptions): void {
  for (const name of WEB_APPS) {
    const root = path.join(options.appsDir, name, 'dist');
    const relativeRoot = path.relative(process.cwd(), root) || '.';
    declarePolicy(app, 'GET', `/${name}`, 'public');
    declarePolicy(app, 'GET', `/${name}/*`, 'public');
    app.get(`/${name}`, (c) => c.redirect(`/${name}/`, 301));
    const inlineHashes = inlineHashesReader(path.join(root, 'index.html'));
    app.use(
      `/${name}/*`,
      setContentSecurityPolicy(name, (c) => ({ livekitUrl: c.get('services').livekitClientUrl, ...inlineHashes() })),
    );
    app.use(`/${name}/*`, async (c, next) => {
      if (!existsSync(path.join(root, 'index.html'))) {
        return c.json(
          errorBody(c, 'service-unavailable', `The ${name} app is not built yet. Run: npm run build:web`),
          503,
        );
      }
      return next();
    });
    app.use(
      `/${name}/*`,
      serveStatic({ root: relativeRoot, rewriteRequestPath: (p) => p.slice(name.length + 1) || '/' }),
    );
    app.get(`/${name}/*`, serveStatic({ root: relativeRoot, path: 'index.html' }));
  }
  declarePolicy(app, 'GET', '/', 'public');
  app.get('/', (c) => c.redirect('/console/', 302));
}
