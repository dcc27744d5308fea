import { ApiError } from './api-error.ts';

/** What the client needs to know of one route (the server's `RouteContract`). */
export interface ContractEntry {
  params: unknown;
  query: unknown;
  body: unknown;
  response: unknown;
}

/** The shape of a contract: routes keyed `"METHOD /path"` (the server's `ApiContract`). */
export type ContractShape = { [route: string]: ContractEntry };

type Part<Name extends string, T> = [T] extends [never]
  ? { [K in Name]?: never }
  : Record<never, never> extends T
    ? { [K in Name]?: T }
    : { [K in Name]: T };

/** The input of a call: path `params`, `query` and JSON `body`, each present only when the route takes it. */
export type CallInput<E extends ContractEntry> = Part<'params', E['params']> &
  Part<'query', E['query']> &
  Part<'body', E['body']>;

/** Per-call options. */
export interface CallOptions {
  /** Send no credentials (sign-in and enrolment calls); a 401 then does not call `onUnauthorized`. */
  anonymous?: boolean;
  /** This call's `Authorization` header instead of the client's (e.g. signing out a token already forgotten). */
  authorization?: string;
  /** Let the request finish after the page is left (a report sent while closing). */
  keepalive?: boolean;
  signal?: AbortSignal;
}

type CallArgs<E extends ContractEntry> =
  Record<never, never> extends CallInput<E>
    ? [input?: CallInput<E> & CallOptions]
    : [input: CallInput<E> & CallOptions];

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Prefix of every path; default the page's own server. */
  baseUrl?: string;
  /** The `Authorization` header, read on every request (e.g. `Kiosk <token>`, `Family <token>`); null sends none. */
  authorization?: () => string | null;
  /** A staff session's CSRF token, sent as `x-csrf-token` on every state-changing request (the cookie goes along). */
  csrfToken?: () => string | null;
  /** Give up on a request after this long (weak mobile data); default 20 s. */
  timeoutMs?: number;
  /** Called when a credentialed request gets 401 (device revoked, session expired). */
  onUnauthorized?: (error: ApiError) => void;
  /** Default the global `fetch`. */
  fetch?: typeof fetch;
}

/** A client typed by a contract: `call("GET /api/children/{id}", { params: { id } })`. */
export interface ApiClient<C extends ContractShape> {
  call<K extends keyof C & string>(route: K, ...args: CallArgs<C[K]>): Promise<C[K]['response']>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function pathOf(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The one client factory of the front ends, typed by the server's contract: device tokens for the
 * kiosk and the parents' page, the session cookie and CSRF header for staff. Every failure is an
 * {@link ApiError} (status 0 when no answer came back).
 *
 * @example
 * const api = createApiClient<ApiContract>({ authorization: () => `Kiosk ${token}` });
 * const { calls } = await api.call('GET /api/kiosk/calls');
 */
export function createApiClient<C extends ContractShape>(options: ApiClientOptions = {}): ApiClient<C> {
  const base = options.baseUrl ?? '';
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function call(route: string, input: Record<string, unknown> & CallOptions = {}): Promise<unknown> {
    const space = route.indexOf(' ');
    const method = route.slice(0, space);
    const url = `${base}${pathOf(route.slice(space + 1), input.params as Record<string, unknown>)}${queryOf(
      input.query as Record<string, unknown>,
    )}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (!input.anonymous) {
      const authorization = input.authorization ?? options.authorization?.();
      if (authorization) headers.authorization = authorization;
      const csrf = SAFE_METHODS.has(method) ? null : options.csrfToken?.();
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    const hasBody = input.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    input.signal?.addEventListener('abort', onAbort);
    let response: Response;
    try {
      // `cache` is a browser field (no stale answers in in-app browsers); the server's RequestInit lacks it.
      const init = {
        method,
        headers,
        body: hasBody ? JSON.stringify(input.body) : undefined,
        credentials: 'same-origin',
        cache: 'no-store',
        keepalive: input.keepalive ?? false,
        signal: controller.signal,
      } as RequestInit;
      response = await (options.fetch ?? fetch)(url, init);
    } catch (error) {
      const timedOut = controller.signal.aborted && !input.signal?.aborted;
      throw ApiError.clientFailure(timedOut ? 'timeout' : 'network', (error as Error).message);
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
    }
    const text = await response.text().catch(() => null);
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) throw ApiError.clientFailure('unreadable', 'The answer could not be read.', response.status);
      }
    }
    if (response.ok) return body;
    const error = ApiError.fromResponse(response.status, body, response.headers.get('retry-after'));
    if (response.status === 401 && !input.anonymous) options.onUnauthorized?.(error);
    throw error;
  }

  return { call: call as ApiClient<C>['call'] };
}
