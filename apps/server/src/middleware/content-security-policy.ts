import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../services.ts';

/** The kinds of response with a policy of their own. */
export type PolicyPage = 'kiosk' | 'family' | 'console' | 'docs' | 'api';

/** What a page's policy is built from. */
export interface PagePolicyOptions {
  /** Where browsers join calls (`ws(s)://…`, `LIVEKIT_URL`); the call pages may connect there. */
  livekitUrl?: string | null;
  /** `sha256-…` sources of the inline `<style>` blocks the page's HTML carries. */
  inlineStyleHashes?: readonly string[];
  /** `sha256-…` sources of the inline `<script>` blocks the page's HTML carries. */
  inlineScriptHashes?: readonly string[];
}

const LOCKED = ["base-uri 'none'", "frame-ancestors 'none'", "object-src 'none'"];

/**
 * LiveKit's addresses a call page connects to: the signalling WebSocket and its HTTP twin (the client
 * asks `/rtc/validate` there when joining fails). LiveKit Cloud moves a call to another region's host.
 */
function livekitSources(livekitUrl: string | null | undefined): string[] {
  if (!livekitUrl) return [];
  let url: URL;
  try {
    url = new URL(livekitUrl);
  } catch {
    return [];
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const [ws, http] = secure ? ['wss:', 'https:'] : ['ws:', 'http:'];
  const hosts = [url.host];
  if (url.hostname.endsWith('.livekit.cloud')) hosts.push('*.livekit.cloud');
  return hosts.flatMap((host) => [`${ws}//${host}`, `${http}//${host}`]);
}

function quoted(hashes: readonly string[] | undefined): string[] {
  return (hashes ?? []).map((hash) => `'${hash}'`);
}

/**
 * The Content-Security-Policy of one kind of page, allowing what it needs and nothing else: our own
 * scripts and styles (plus the exact inline blocks its HTML carries, by hash), images and fonts from us
 * or inlined by the build (`data:`), media and images made in the page (`blob:`), and fetches to us —
 * and, on the two call pages, to the LiveKit server. The API answers JSON and may load nothing at all.
 *
 * @example contentSecurityPolicyFor('family', { livekitUrl: 'wss://lk.example.org' })
 */
export function contentSecurityPolicyFor(page: PolicyPage, options: PagePolicyOptions = {}): string {
  if (page === 'api') return ["default-src 'none'", "form-action 'none'", ...LOCKED].join('; ');
  const isCallPage = page === 'kiosk' || page === 'family';
  const directives = [
    "default-src 'self'",
    ["script-src 'self'", ...quoted(options.inlineScriptHashes)].join(' '),
    ["style-src 'self'", ...quoted(options.inlineStyleHashes)].join(' '),
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...(isCallPage ? livekitSources(options.livekitUrl) : [])].join(' '),
    ...(isCallPage ? ["media-src 'self' blob:"] : []),
    "manifest-src 'self'",
    "worker-src 'none'",
    "form-action 'self'",
    ...LOCKED,
  ];
  return directives.join('; ');
}

/** `sha256-…` of each inline `<style>` and `<script>` block of an HTML page, for its policy. */
export function inlineHashesOf(html: string): { inlineStyleHashes: string[]; inlineScriptHashes: string[] } {
  const hashOf = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
  const blocks = (tag: 'style' | 'script') =>
    [...html.matchAll(new RegExp(`<${tag}(?![^>]*\\bsrc=)[^>]*>([\\s\\S]*?)</${tag}>`, 'gi'))]
      .map((match) => match[1] ?? '')
      .filter((text) => text.trim().length > 0)
      .map(hashOf);
  return { inlineStyleHashes: blocks('style'), inlineScriptHashes: blocks('script') };
}

/**
 * Sets the policy of `page` on every response under it that has none yet; with no page, the API's
 * policy (nothing may load) on every response that has none — a page's own middleware sets a wider one.
 * `options` is read per response, so a page built after start-up gets its inline hashes.
 *
 * @example app.use('/kiosk/*', setContentSecurityPolicy('kiosk', (c) => ({ livekitUrl: c.get('services').livekitClientUrl })))
 */
export function setContentSecurityPolicy(
  page: PolicyPage,
  options: (c: Context<AppEnv>) => PagePolicyOptions = () => ({}),
): MiddlewareHandler<AppEnv> {
  return async function setContentSecurityPolicyMiddleware(c, next) {
    await next();
    if (!c.res.headers.has('content-security-policy'))
      c.res.headers.set('Content-Security-Policy', contentSecurityPolicyFor(page, options(c)));
  };
}
