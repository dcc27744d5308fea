import { useEffect, useState } from 'preact/hooks';
import type { RouteInfo } from './screen-props.ts';

/** The hash route `#/path?query` as path and query (params are filled in by {@link matchPath}). */
export function readHash(hash: string): { path: string; query: URLSearchParams } {
  const text = hash.replace(/^#/, '') || '/';
  const mark = text.indexOf('?');
  const path = mark === -1 ? text : text.slice(0, mark);
  return {
    path: path.startsWith('/') ? path : `/${path}`,
    query: new URLSearchParams(mark === -1 ? '' : text.slice(mark + 1)),
  };
}

/** The params of `path` under `pattern` (`/children/:id`), or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = have[index] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) return null;
  }
  return params;
}

/** Goes to a hash path (`/today`). */
export function navigate(path: string): void {
  const target = `#${path.startsWith('/') ? path : `/${path}`}`;
  if (window.location.hash !== target) window.location.hash = target;
}

/**
 * Keeps a screen's own state (its month, filters, page) in the address, replacing it without a new history entry,
 * so a reload or "back" shows the screen as it was. Only while the address is still the screen's `path`: an effect
 * that runs late, after a click to another screen, must not bring the old screen back.
 *
 * @example keepInAddress('/rota', '#/rota?month=2026-12')
 */
export function keepInAddress(path: string, target: string): void {
  if (readHash(window.location.hash).path !== path) return;
  if (window.location.hash !== target) history.replaceState(null, '', target);
}

/** The current hash route, updated on every change. */
export function useHashRoute(): Omit<RouteInfo, 'params'> {
  const [route, setRoute] = useState(() => readHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(readHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
