import type { ChildPhoto } from '@affection/db';
import type { Context } from 'hono';

/** How long a browser may keep a photo whose URL names its version (a new photo is a new URL). */
const A_YEAR = 365 * 24 * 60 * 60;

/**
 * The photo's bytes for an `<img>` or a kiosk's fetch: `Cache-Control: private` (never a shared
 * cache), kept for a year when the URL's `v` is the current version, otherwise checked every time;
 * the version is the ETag, so a matching `If-None-Match` is answered 304 with no bytes.
 */
export function photoResponse(c: Context, photo: ChildPhoto, requestedVersion: string | undefined): Response {
  const etag = `"${photo.version}"`;
  const cacheControl =
    requestedVersion === photo.version ? `private, max-age=${A_YEAR}, immutable` : 'private, no-cache';
  const headers = {
    'cache-control': cacheControl,
    etag,
    'x-content-type-options': 'nosniff',
    'content-disposition': 'inline',
  };
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(photo.data), {
    status: 200,
    headers: { ...headers, 'content-type': photo.contentType, 'content-length': String(photo.byteSize) },
  });
}
