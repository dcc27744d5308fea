import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

const LIVEKIT_URL = 'ws://127.0.0.1:7880';
const INLINE_STYLE = '\n      :root { color: #1f2933; }\n    ';

/** The policy's directives by name. */
function directivesOf(policy: string | null): Record<string, string[]> {
  expect(policy).toBeTruthy();
  return Object.fromEntries(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('Content-Security-Policy on every page', () => {
  let world: ApiWorld;
  let appsDir: string;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-csp-'));
    for (const name of ['kiosk', 'family', 'console']) {
      await mkdir(path.join(appsDir, name, 'dist'), { recursive: true });
      const style = name === 'family' ? `<style>${INLINE_STYLE}</style>` : '';
      await writeFile(
        path.join(appsDir, name, 'dist', 'index.html'),
        `<!doctype html><html><head>${style}<script type="module" src="/${name}/assets/index.js"></script></head><body></body></html>`,
      );
    }
    world = await createApiWorld('pglite', { livekitClientUrl: LIVEKIT_URL });
    app = createApp(world.services, { appsDir });
  });
  afterAll(async () => {
    await world?.close();
    if (appsDir) await rm(appsDir, { recursive: true, force: true });
  });

  it('lets the call pages load only our scripts and styles and connect only to us and LiveKit', async () => {
    for (const page of ['/kiosk/', '/family/', '/family/enrol/some-link-secret']) {
      const res = await app.request(page);
      expect(res.status).toBe(200);
      const csp = directivesOf(res.headers.get('content-security-policy'));
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['connect-src']).toEqual(["'self'", LIVEKIT_URL, LIVEKIT_URL.replace('ws:', 'http:')]);
      expect(csp['media-src']).toEqual(["'self'", 'blob:']);
      expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['base-uri']).toEqual(["'none'"]);
      expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
    }
  });

  it("allows exactly the family page's own inline style block, by its hash", async () => {
    const hash = `'sha256-${createHash('sha256').update(INLINE_STYLE).digest('base64')}'`;
    const family = directivesOf((await app.request('/family/')).headers.get('content-security-policy'));
    expect(family['style-src']).toEqual(["'self'", hash]);
    const kiosk = directivesOf((await app.request('/kiosk/')).headers.get('content-security-policy'));
    expect(kiosk['style-src']).toEqual(["'self'"]);
  });

  it('gives the console no LiveKit and no media', async () => {
    const csp = directivesOf((await app.request('/console/')).headers.get('content-security-policy'));
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['media-src']).toBeUndefined();
    expect(csp['script-src']).toEqual(["'self'"]);
  });

  it('lets the API docs run only our copy of Swagger UI, with no inline script', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    const csp = directivesOf(res.headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const start = await app.request('/api/docs/start.js');
    expect(start.status).toBe(200);
    expect(await start.text()).toContain('SwaggerUIBundle');
  });

  it('lets an API answer load nothing, and keeps the other secure headers', async () => {
    for (const url of ['/api/auth/me', '/healthz', '/api/no-such-route']) {
      const res = await app.request(url);
      const csp = directivesOf(res.headers.get('content-security-policy'));
      expect(csp['default-src']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toBeTruthy();
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
