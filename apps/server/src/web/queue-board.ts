import { AppError } from '@affection/core';
import { openQueueViews } from '@affection/jobs';
import type { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import type { Redis } from 'ioredis';
import { audit } from '../audit.ts';
import { perRedisClient } from '../auth/per-redis-client.ts';
import type { StaffPrincipal } from '../auth/principal.ts';
import { inlineHashesOf } from '../middleware/content-security-policy.ts';
import { declarePolicy } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { loadQueueActionsGrant } from './queue-actions-grant.ts';

/** Where the read-only job board lives: under the console's path, for the Home's admin only. */
export const QUEUE_BOARD_PATH = '/console/queues';

/** Where the job board with actions lives: the admin's session needs a grant from the console's queues screen. */
export const QUEUE_ACTIONS_PATH = '/console/queue-actions';

/** The console's screen that shows the queues' counts, opens the boards and gives the grant. */
const QUEUES_SCREEN = '/console/#/queues';

/** What the board with actions lets an admin do: retry, remove and promote jobs; nothing else. */
const ALLOWED_ACTIONS: readonly { pattern: RegExp; action: string; by: 'job' | 'state' | 'queue' }[] = [
  { pattern: /^\/api\/queues\/([^/]+)\/retry\/([^/]+)$/, action: 'retry-all', by: 'state' },
  { pattern: /^\/api\/queues\/([^/]+)\/clean\/([^/]+)$/, action: 'clean-all', by: 'state' },
  { pattern: /^\/api\/queues\/([^/]+)\/promote$/, action: 'promote-all', by: 'queue' },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/, action: 'retry', by: 'job' },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/clean$/, action: 'clean', by: 'job' },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/promote$/, action: 'promote', by: 'job' },
];

// A run of digits that could be a phone number (7 or more digits, spaces, dashes and a leading + allowed).
const NUMBER_LIKE = /\+?\d[\d\s-]{5,}\d/g;

/** A text with every run that could be a phone number replaced, as the board shows failed reasons and traces. */
export function maskNumbers(text: string): string {
  return text.replace(NUMBER_LIKE, (run) => (run.replace(/\D/g, '').length >= 7 ? '[…]' : run));
}

interface MaskableJob {
  failedReason?: string;
  stacktrace?: string[] | null;
}

function maskJob<J extends MaskableJob>(job: J): J {
  if (typeof job.failedReason === 'string') job.failedReason = maskNumbers(job.failedReason);
  if (Array.isArray(job.stacktrace)) job.stacktrace = job.stacktrace.map((line) => maskNumbers(String(line)));
  return job;
}

/**
 * The board's packages, loaded when an admin first opens a board: they are a rarely used page, and loading them at
 * start cost the server about 20 MB of memory. The board's view of a queue masks number-like runs in a job's failed
 * reason and stack trace (a provider's error may quote the number it could not reach); job data holds ids only.
 */
const loadBoardPackages = (() => {
  let loaded:
    | Promise<{
        createBullBoard: typeof import('@bull-board/api').createBullBoard;
        HonoAdapter: typeof HonoAdapter;
        MaskedQueueAdapter: typeof BullMQAdapter;
      }>
    | undefined;
  return () => {
    loaded ??= Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/hono'),
    ]).then(([api, bullmq, hono]) => {
      class MaskedQueueAdapter extends bullmq.BullMQAdapter {
        override async getJob(id: string) {
          const job = await super.getJob(id);
          return job ? maskJob(job) : job;
        }

        override async getJobs(...args: Parameters<BullMQAdapter['getJobs']>) {
          return (await super.getJobs(...args)).map(maskJob);
        }
      }
      return { createBullBoard: api.createBullBoard, HonoAdapter: hono.HonoAdapter, MaskedQueueAdapter };
    });
    return loaded;
  };
})();

/** A handle of each worker queue on one Redis client (the server's), shared by the boards and the counts. */
export const queueViewsOf = perRedisClient((redis: Redis) => openQueueViews(redis));

async function buildBoard(basePath: string, redis: Redis, readOnly: boolean): Promise<Hono> {
  const { createBullBoard, HonoAdapter, MaskedQueueAdapter } = await loadBoardPackages();
  const adapter = new HonoAdapter(serveStatic as ConstructorParameters<typeof HonoAdapter>[0]);
  adapter.setBasePath(basePath);
  createBullBoard({
    queues: queueViewsOf(redis).map(
      (queue) => new MaskedQueueAdapter(queue, { readOnlyMode: readOnly, allowRetries: !readOnly }),
    ),
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: readOnly ? '任务队列（只读）' : '任务队列（可操作）',
        locale: { lng: 'zh-CN' },
        hideDocsLink: true,
        miscLinks: [{ text: '回到控制台', url: QUEUES_SCREEN }],
      },
    },
  });
  return new Hono().route(basePath, adapter.registerPlugin());
}

/** The two boards of one Redis client (the server's), built on first use. */
const boardsOf = perRedisClient((redis) => ({
  read: buildBoard(QUEUE_BOARD_PATH, redis, true),
  actions: buildBoard(QUEUE_ACTIONS_PATH, redis, false),
}));

/**
 * The one `<style>` element the board's script adds (its React renders it, the same text in this pinned version):
 * allowed by its hash, not by `'unsafe-inline'`. A new version of the board with other text shows up as a policy
 * violation in the browser test.
 */
const BOARD_SCRIPT_STYLE_HASHES = ['sha256-r2N1TB/gHbBtBZFKg7ejmq1acVSREzucTAEw6ga4hoU='];

/**
 * The board page's Content-Security-Policy: its own scripts, styles (and, by hash, the inline blocks of `html` and the
 * style element its script adds), images and fetches to us; it needs `<base href>`, so `base-uri 'self'`. No fonts
 * from the internet (see {@link pageWithoutOutsideParts}), no frames, no forms.
 */
export function queueBoardPolicy(html = ''): string {
  const { inlineStyleHashes, inlineScriptHashes } = inlineHashesOf(html);
  return [
    "default-src 'none'",
    ["script-src 'self'", ...inlineScriptHashes.map((h) => `'${h}'`)].join(' '),
    ["style-src 'self'", ...[...inlineStyleHashes, ...BOARD_SCRIPT_STYLE_HASHES].map((h) => `'${h}'`)].join(' '),
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The board's page without what its policy would refuse: the web fonts it asks of a server on the internet (the
 * board falls back to the system's fonts; that server is also out of reach in China) and the styled loading
 * placeholder (inline style attributes), replaced by a plain line that the app replaces at once.
 */
export function pageWithoutOutsideParts(html: string): string {
  return html
    .replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/g, '')
    .replace(/<div id="root">[\s\S]*?<\/div>\s*(?=<script)/, '<div id="root"><p>正在加载…</p></div>\n');
}

function wantsPage(c: Context<AppEnv>): boolean {
  return c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
}

/** A plain page (nothing to load) saying why the board does not open, with the way back. */
function refusalPage(c: Context<AppEnv>, status: 403, zh: string, en: string): Response {
  const page = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>任务队列</title></head>
<body><main><h1>任务队列</h1><p>${zh}</p><p lang="en">${en}</p>
<p><a href="${QUEUES_SCREEN}">回到控制台 · Back to the console</a></p></main></body></html>`;
  return c.html(page, status);
}

/** The admin calling, or the refusal: a sign-in for nobody (a page goes to the console), 403 for other staff. */
function requireAdmin(c: Context<AppEnv>): StaffPrincipal | Response {
  const principal = c.get('principal');
  if (principal.kind === 'anonymous') {
    if (wantsPage(c)) return c.redirect(QUEUES_SCREEN, 302);
    throw new AppError('unauthenticated', 'Please sign in first.');
  }
  if (principal.kind !== 'staff' || principal.role !== 'admin') {
    if (wantsPage(c)) {
      return refusalPage(c, 403, '只有之家管理员可以查看任务队列。', "Only the Home's admin can see the job queues.");
    }
    throw new AppError('forbidden', 'You are not allowed to do this.');
  }
  return principal;
}

/** Whether a state-changing request comes from our own pages (the board cannot send the CSRF token). */
function isSameOrigin(c: Context<AppEnv>): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  const allowed = [new URL(c.req.url).origin, new URL(c.get('services').settings.publicUrl).origin];
  return allowed.includes(origin);
}

/** Passes the request to a board (its paths are under `base`) and gives the answer the board's policy. */
async function forward(c: Context<AppEnv>, board: Hono, base: string): Promise<Response> {
  const url = new URL(c.req.url);
  if (url.pathname === `${base}/`) url.pathname = base;
  const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  const body = hasBody ? await c.req.text() : undefined;
  const answer = await board.fetch(new Request(url, { method: c.req.method, headers: c.req.raw.headers, body }));
  const isPage = (answer.headers.get('content-type') ?? '').includes('text/html');
  const html = isPage ? pageWithoutOutsideParts(await answer.text()) : '';
  const response = isPage ? new Response(html, answer) : new Response(answer.body, answer);
  if (isPage) response.headers.delete('content-length');
  response.headers.set('Content-Security-Policy', queueBoardPolicy(html));
  // The board's files are named by their content: a day in the browser's own cache. Its pages and API: never kept.
  const isAsset = url.pathname.startsWith(`${base}/static/`) && response.status === 200;
  response.headers.set('Cache-Control', isAsset ? 'private, max-age=86400' : 'no-store');
  return response;
}

/**
 * Mounts Bull Board twice under the console's path, both for the Home's admin only (a teacher gets 403, nobody
 * signed in is sent to the console's sign-in, or 401 for the board's own requests):
 * - `/console/queues/`: read-only (every queue in `readOnlyMode`; a state-changing request is refused here);
 * - `/console/queue-actions/`: retry, remove and promote jobs, only while the admin's session holds the grant given
 *   on the console's queues screen after confirming (`POST /api/queues/actions-grant`, 10 minutes, audited); each
 *   action is audited (`queues.action`: the queue, the job id or state, never job data). Other actions of the board
 *   (adding or editing jobs, emptying a queue, schedulers) are refused: a job is made from its database row, never
 *   by hand.
 */
export function registerQueueBoard(app: Hono<AppEnv>): void {
  for (const base of [QUEUE_BOARD_PATH, QUEUE_ACTIONS_PATH]) {
    declarePolicy(app, 'GET', base, 'admin');
    declarePolicy(app, 'GET', `${base}/*`, 'admin');
    app.get(base, (c) => {
      const admin = requireAdmin(c);
      return admin instanceof Response ? admin : c.redirect(`${base}/`, 301);
    });
  }
  declarePolicy(app, 'PUT', `${QUEUE_ACTIONS_PATH}/*`, 'admin');

  app.all(`${QUEUE_BOARD_PATH}/*`, async (c) => {
    const admin = requireAdmin(c);
    if (admin instanceof Response) return admin;
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      throw new AppError(
        'forbidden',
        'This board is read-only. Confirm on the queues screen to retry or remove jobs.',
        {
          userMessageKey: 'error.queues.read-only',
          details: { reason: 'read-only' },
        },
      );
    }
    return forward(c, await boardsOf(c.get('services').redis).read, QUEUE_BOARD_PATH);
  });

  app.all(`${QUEUE_ACTIONS_PATH}/*`, async (c) => {
    const admin = requireAdmin(c);
    if (admin instanceof Response) return admin;
    const { redis, now } = c.get('services');
    const grant = await loadQueueActionsGrant(redis, admin.sessionId, now());
    if (!grant) {
      if (wantsPage(c)) {
        return refusalPage(
          c,
          403,
          '要重试或删除任务，请先在控制台的「任务队列」页面确认；确认后 10 分钟内有效。',
          'To retry or remove jobs, confirm on the queues screen of the console first; it lasts 10 minutes.',
        );
      }
      throw new AppError(
        'forbidden',
        'Confirm on the queues screen first: actions on jobs need a fresh confirmation.',
        {
          userMessageKey: 'error.queues.not-confirmed',
          details: { reason: 'not-confirmed' },
        },
      );
    }
    const board = await boardsOf(redis).actions;
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return forward(c, board, QUEUE_ACTIONS_PATH);

    const inner = new URL(c.req.url).pathname.slice(QUEUE_ACTIONS_PATH.length);
    const allowed = c.req.method === 'PUT' ? ALLOWED_ACTIONS.find((a) => a.pattern.test(inner)) : undefined;
    if (!allowed || !isSameOrigin(c)) {
      throw new AppError('forbidden', 'Only retrying, removing and promoting jobs is allowed here.', {
        userMessageKey: 'error.queues.action-not-allowed',
        details: { reason: 'action-not-allowed' },
      });
    }
    const response = await forward(c, board, QUEUE_ACTIONS_PATH);
    if (response.status < 300) {
      const [, queue = '', second = ''] = allowed.pattern.exec(inner) ?? [];
      const target =
        allowed.by === 'job' ? { jobId: decodeURIComponent(second) } : allowed.by === 'state' ? { state: second } : {};
      await audit(c, 'queues.action', 'queue', decodeURIComponent(queue), { action: allowed.action, ...target });
    }
    return response;
  });
}
