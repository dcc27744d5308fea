import type { MessageKey } from '../i18n/catalogs.ts';
import { isMessageKey } from '../i18n/translator.ts';

/** One field that needs fixing, as the server's validation answers it. */
export interface ApiFieldProblem {
  /** Dotted path in the input, e.g. `windows.0.startTime`. */
  path: string;
  /** Message key of the problem, e.g. `validation.required`. */
  key: string;
  message: { 'zh-CN': string; en: string };
}

/** What failed when no error body came back: no answer, too slow, or an unreadable answer. */
export type ClientFailure = 'network' | 'timeout' | 'unreadable';

interface ErrorBodyLike {
  error?: { code?: unknown; message?: unknown; userMessageKey?: unknown; requestId?: unknown; details?: unknown };
}

/**
 * A request that did not succeed: the server's one error body (`error.code`, `message`,
 * `userMessageKey`, `requestId`, `details`), or no usable answer at all (status 0).
 */
export class ApiError extends Error {
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  /** The server's error code (`not-found`, `conflict`…), or a {@link ClientFailure}. */
  readonly code: string;
  /** Catalog key of the message to show a person, `error.<area>.<reason>`. */
  readonly userMessageKey: MessageKey;
  /** The server's request id, to quote when asking for help. */
  readonly requestId: string | undefined;
  /** Everything the server put in `details`. */
  readonly details: Readonly<Record<string, unknown>>;
  /** `details.reason`: why the route refused. */
  readonly reason: string | undefined;
  /** Per-field problems (`details.fields`), empty when none. */
  readonly fields: readonly ApiFieldProblem[];
  /** Seconds to wait before trying again (`details.retryAfterSeconds` or the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    userMessageKey: MessageKey;
    requestId?: string | undefined;
    details?: Record<string, unknown>;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.userMessageKey = init.userMessageKey;
    this.requestId = init.requestId;
    const details = init.details ?? {};
    this.details = details;
    this.reason = typeof details.reason === 'string' ? details.reason : undefined;
    this.fields = Array.isArray(details.fields) ? (details.fields as ApiFieldProblem[]) : [];
    this.retryAfterSeconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined;
  }

  /** The error of a failed response from its status, parsed body (if any) and `Retry-After` header. */
  static fromResponse(status: number, body: unknown, retryAfter: string | null = null): ApiError {
    const error = (body as ErrorBodyLike | null)?.error ?? {};
    const code = typeof error.code === 'string' ? error.code : status >= 500 ? 'internal' : 'bad-request';
    const details: Record<string, unknown> =
      error.details && typeof error.details === 'object' ? { ...(error.details as Record<string, unknown>) } : {};
    const waitSeconds = Number(retryAfter);
    if (details.retryAfterSeconds === undefined && waitSeconds > 0) details.retryAfterSeconds = waitSeconds;
    const sentKey = typeof error.userMessageKey === 'string' ? error.userMessageKey : '';
    const codeKey = `error.common.${code}`;
    return new ApiError({
      status,
      code,
      message: typeof error.message === 'string' ? error.message : `HTTP ${status}`,
      userMessageKey: isMessageKey(sentKey) ? sentKey : isMessageKey(codeKey) ? codeKey : 'error.common.internal',
      requestId: typeof error.requestId === 'string' ? error.requestId : undefined,
      details,
    });
  }

  /** The error of a request that got no usable answer. */
  static clientFailure(failure: ClientFailure, message: string, status = 0): ApiError {
    return new ApiError({ status, code: failure, message, userMessageKey: `error.client.${failure}` });
  }
}
